// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// An echo server on a single-threaded QCoreApplication event loop, listening on 127.0.0.1 only,
// sending every message back to its sender. One source, built twice (CMakeLists.txt):
//   qtws_echo --port N   on QtWebSockets (QWebSocketServer/QWebSocket)
//   rsws_echo --port N   on RsWebSockets (RsWebSocketServer/RsWebSocket): the same code with the
//                        classes renamed, as an application is ported
// It does what qt-example/echoserver does (same signals, slots and limits; no compression), so
// benches/compare-qt.sh compares the WebSocket implementations and nothing else.

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#ifdef RSWS_ECHO
#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketServer>
using WebSocket = RsWebSocket;
using WebSocketServer = RsWebSocketServer;
#define IMPLEMENTATION "RsWebSockets"
#else
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>
using WebSocket = QWebSocket;
using WebSocketServer = QWebSocketServer;
#define IMPLEMENTATION "QtWebSockets"
#endif

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(IMPLEMENTATION " echo server (benchmark peer)."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringList{ QStringLiteral("p"), QStringLiteral("port") },
                                        QStringLiteral("Port to listen on (127.0.0.1)."),
                                        QStringLiteral("port"), QStringLiteral("1234"));
    parser.addOption(portOption);
    parser.process(app);
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "invalid port\n");
        return 2;
    }

    WebSocketServer server(QStringLiteral(IMPLEMENTATION " Echo Server"),
                           WebSocketServer::NonSecureMode);
    // The same limits as qt-example/echoserver: messages up to 64 MiB, many pending clients.
    server.setMaxPendingConnections(1024);
    QObject::connect(&server, &WebSocketServer::newConnection, &server, [&server] {
        while (WebSocket *socket = server.nextPendingConnection()) {
            socket->setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
            socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
            QObject::connect(socket, &WebSocket::textMessageReceived, socket,
                             [socket](const QString &message) { socket->sendTextMessage(message); });
            QObject::connect(socket, &WebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray &message) {
                                 socket->sendBinaryMessage(message);
                             });
            QObject::connect(socket, &WebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    if (!server.listen(QHostAddress::LocalHost, quint16(port))) {
        std::fprintf(stderr, "cannot listen on port %u: %s\n", port,
                     qPrintable(server.errorString()));
        return 1;
    }
    std::printf(IMPLEMENTATION " echo server listening on port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
