// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// qtws_echoserver --port N: the QtWebSockets counterpart of qt-example/echoserver, for the
// side-by-side benchmark. One QCoreApplication event loop; every text message goes back as
// text and every binary message as binary, from the same kind of slot as the example uses.

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption portOption(QStringList{ QStringLiteral("p"), QStringLiteral("port") },
                                  QStringLiteral("Port [default: 1234]."), QStringLiteral("port"),
                                  QStringLiteral("1234"));
    QCommandLineOption quietOption(QStringList{ QStringLiteral("q"), QStringLiteral("quiet") },
                                   QStringLiteral("Accepted for symmetry with echoserver."));
    parser.addOption(portOption);
    parser.addOption(quietOption);
    parser.process(app);

    QWebSocketServer server(QStringLiteral("QtWebSockets Echo Server"),
                            QWebSocketServer::NonSecureMode);
    server.setMaxPendingConnections(1024);
    if (!server.listen(QHostAddress::Any, quint16(parser.value(portOption).toUInt()))) {
        QTextStream(stderr) << "cannot listen: " << server.errorString() << "\n";
        return 1;
    }
    QTextStream(stdout) << "Echo server listening on port " << server.serverPort() << Qt::endl;
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            socket->setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
            socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             &QWebSocket::sendTextMessage);
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             &QWebSocket::sendBinaryMessage);
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    return app.exec();
}
