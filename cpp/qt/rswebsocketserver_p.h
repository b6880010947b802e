// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETSERVER_P_H
#define RSWEBSOCKETSERVER_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RsWebSockets API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include <RsWebSockets/rswebsocketprotocol.h>
#include <RsWebSockets/rswebsocketserver.h>

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QQueue>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QTcpServer;
class QTcpSocket;
class QTimer;
class RsWebSocket;

class RsWebSocketServerPrivate
{
    Q_DECLARE_PUBLIC(RsWebSocketServer)

public:
    RsWebSocketServerPrivate(const QString &serverName, RsWebSocketServer::SslMode secureMode,
                             RsWebSocketServer *q);
    ~RsWebSocketServerPrivate();

    void init();
    void close(bool aboutToDestroy);
    void setError(RsWebSocketProtocol::CloseCode code, const QString &errorString);
    QString errorString() const;

    void onNewTcpConnection();
    void handleConnection(QTcpSocket *socket);
    void onHandshakeBytes(QTcpSocket *socket);
    void forget(QTcpSocket *socket);
    void reject(QTcpSocket *socket, const QByteArray &response,
                RsWebSocketProtocol::CloseCode code, const QString &reason);
    void upgrade(QTcpSocket *socket, const QByteArray &requestHead, const QByteArray &leftover);

    // One socket whose opening handshake is still being read.
    struct PendingHandshake
    {
        QByteArray buffer;
        QTimer *timer = nullptr;
        QMetaObject::Connection readyRead;
        QMetaObject::Connection disconnected;
    };

    RsWebSocketServer *q_ptr;
    QTcpServer *m_tcpServer = nullptr;
    QString m_serverName;
    RsWebSocketServer::SslMode m_secureMode;
    QQueue<QPointer<RsWebSocket>> m_pendingConnections;
    QHash<QTcpSocket *, PendingHandshake> m_handshakes;
    QStringList m_supportedSubprotocols;
    RsWebSocketProtocol::CloseCode m_error = RsWebSocketProtocol::CloseCodeNormal;
    QString m_errorString;
    int m_handshakeTimeout = 10000;
    int m_maxPendingConnections = 30;

    // Extras handed to accepted sockets.
    bool m_compressionEnabled = false;
    RsWebSocketDeflateOptions m_deflate; // offered / accepted when m_compressionEnabled
    int m_keepAliveInterval = 0;
    int m_pongTimeout = 10000;
    int m_closeTimeout = 5000;
    quint64 m_maxFrameSize = 0;
    quint64 m_maxMessageSize = 0;
};

#endif // RSWEBSOCKETSERVER_P_H
