// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "chatserver.h"

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketCorsAuthenticator>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QTextStream>
#include <QtCore/QUrlQuery>

static QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

ChatServer::ChatServer(quint16 port, bool compress, QObject *parent)
    : QObject(parent),
      m_pWebSocketServer(new RsWebSocketServer(QStringLiteral("RsWebSockets Chat Server"),
                                               RsWebSocketServer::NonSecureMode, this))
{
    //! [setup]
    m_pWebSocketServer->setSupportedSubprotocols({ QStringLiteral("chat.v1") });
    m_pWebSocketServer->setCompressionEnabled(compress);
    // Browsers send an Origin; this chat only serves pages from localhost (console clients
    // send none).
    connect(m_pWebSocketServer, &RsWebSocketServer::originAuthenticationRequired, this,
            [](RsWebSocketCorsAuthenticator *authenticator) {
                const QUrl origin(authenticator->origin());
                authenticator->setAllowed(authenticator->origin().isEmpty()
                                          || origin.host() == QLatin1String("localhost")
                                          || origin.host() == QLatin1String("127.0.0.1"));
            });
    //! [setup]

    if (m_pWebSocketServer->listen(QHostAddress::Any, port)) {
        out() << "Chat server listening on port " << m_pWebSocketServer->serverPort() << Qt::endl;
        connect(m_pWebSocketServer, &RsWebSocketServer::newConnection,
                this, &ChatServer::onNewConnection);
    } else {
        out() << "Cannot listen on port " << port << ": " << m_pWebSocketServer->errorString()
              << Qt::endl;
    }
}

ChatServer::~ChatServer()
{
    m_pWebSocketServer->close();
    qDeleteAll(m_names.keyBegin(), m_names.keyEnd());
}

bool ChatServer::isListening() const
{
    return m_pWebSocketServer->isListening();
}

//! [onNewConnection]
void ChatServer::onNewConnection()
{
    while (RsWebSocket *pSocket = m_pWebSocketServer->nextPendingConnection()) {
        // ws://host:port/?name=alice
        QString name = QUrlQuery(pSocket->requestUrl()).queryItemValue(QStringLiteral("name"));
        if (name.isEmpty())
            name = QStringLiteral("guest-%1").arg(pSocket->peerPort());

        connect(pSocket, &RsWebSocket::textMessageReceived, pSocket,
                [this, pSocket](const QString &message) { processMessage(pSocket, message); });
        connect(pSocket, &RsWebSocket::disconnected, pSocket,
                [this, pSocket] { socketDisconnected(pSocket); });
        m_names.insert(pSocket, name);

        out() << name << " joined from " << pSocket->peerAddress().toString() << Qt::endl;
        pSocket->sendTextMessage(QStringLiteral("* Welcome, %1. %2 online.")
                                         .arg(name)
                                         .arg(m_names.size()));
        broadcast(QStringLiteral("* %1 joined").arg(name), pSocket);
    }
}
//! [onNewConnection]

//! [processMessage]
void ChatServer::processMessage(RsWebSocket *pSender, const QString &message)
{
    if (message.trimmed().isEmpty())
        return;
    broadcast(QStringLiteral("%1: %2").arg(m_names.value(pSender), message));
}
//! [processMessage]

void ChatServer::broadcast(const QString &message, RsWebSocket *except)
{
    out() << message << Qt::endl;
    for (auto it = m_names.keyBegin(); it != m_names.keyEnd(); ++it) {
        if (*it != except)
            (*it)->sendTextMessage(message);
    }
}

void ChatServer::socketDisconnected(RsWebSocket *pClient)
{
    if (!m_names.contains(pClient))
        return;
    const QString name = m_names.take(pClient);
    pClient->deleteLater();
    broadcast(QStringLiteral("* %1 left").arg(name));
}
