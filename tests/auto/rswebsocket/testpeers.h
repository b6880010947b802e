// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// In-process peers for tst_RsWebSocket: an echo server on Qt's own QWebSocketServer (the
// reference implementation, test-only) and a scripted raw TCP server that answers the opening
// handshake by hand and then misbehaves on purpose (stays silent, vanishes mid-frame, ...).

#ifndef RSWEBSOCKET_TESTPEERS_H
#define RSWEBSOCKET_TESTPEERS_H

#include <QtCore/QCryptographicHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <functional>
#include <memory>

// Echoes every text and binary message on QWebSocketServer; remembers the server-side
// sockets so tests can look at what the server saw (close code, request, origin...).
class EchoServer : public QObject
{
public:
    explicit EchoServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode)
        : server(QStringLiteral("echo"), mode)
    {
        QObject::connect(&server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                socket->setParent(this);
                sockets << socket;
                if (onConnection)
                    onConnection(socket);
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [socket](const QString &m) { socket->sendTextMessage(m); });
                QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                                 [socket](const QByteArray &m) { socket->sendBinaryMessage(m); });
            }
        });
    }

    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path = QStringLiteral("/")) const
    {
        QUrl u = server.serverUrl();
        u.setPath(path);
        return u;
    }
    QWebSocket *last() const { return sockets.isEmpty() ? nullptr : sockets.last().data(); }

    QWebSocketServer server;
    QList<QPointer<QWebSocket>> sockets;
    std::function<void(QWebSocket *)> onConnection;
};

// Accepts TCP connections, answers a valid 101 to the first request head, then runs
// `afterHandshake` with the socket (which may write anything, or nothing at all).
class RawServer : public QObject
{
public:
    RawServer()
    {
        QObject::connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                socket->setParent(this);
                sockets << socket;
                auto buffer = std::make_shared<QByteArray>(""); // null once the handshake is over
                QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                    if (buffer->isNull()) { // handshake done: just collect
                        received += socket->readAll();
                        return;
                    }
                    buffer->append(socket->readAll());
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    requestHead = buffer->left(end + 4);
                    received += buffer->mid(end + 4);
                    *buffer = QByteArray(); // null: the handshake is over
                    socket->write(respond ? respond(requestHead) : acceptResponse(requestHead));
                    if (afterHandshake)
                        afterHandshake(socket);
                });
            }
        });
    }

    static QByteArray headerValue(const QByteArray &head, const QByteArray &name)
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return QByteArray();
    }

    static QByteArray acceptResponse(const QByteArray &head, const QByteArray &extraHeaders = {})
    {
        const QByteArray key = headerValue(head, "Sec-WebSocket-Key");
        const QByteArray accept =
                QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                         QCryptographicHash::Sha1)
                        .toBase64();
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                + accept + "\r\n" + extraHeaders + "\r\n";
    }

    // An unmasked server frame.
    static QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true)
    {
        QByteArray out;
        out.append(char((fin ? 0x80 : 0x00) | opcode));
        if (payload.size() < 126) {
            out.append(char(payload.size()));
        } else if (payload.size() < 65536) {
            out.append(char(126));
            out.append(char(payload.size() >> 8));
            out.append(char(payload.size() & 0xFF));
        } else {
            out.append(char(127));
            for (int shift = 56; shift >= 0; shift -= 8)
                out.append(char((quint64(payload.size()) >> shift) & 0xFF));
        }
        return out + payload;
    }

    bool listen() { return server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()));
    }

    QTcpServer server;
    QList<QPointer<QTcpSocket>> sockets;
    std::function<QByteArray(const QByteArray &head)> respond; // unset: a valid 101
    QByteArray requestHead;
    QByteArray received; // bytes after the request head
    std::function<void(QTcpSocket *)> afterHandshake;
};

#endif // RSWEBSOCKET_TESTPEERS_H
