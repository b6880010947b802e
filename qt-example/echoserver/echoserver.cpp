// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "echoserver.h"

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketServer>

#include <QtCore/QDebug>
#include <QtCore/QTextStream>

static QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

static QString describe(const RsWebSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

//! [constructor]
EchoServer::EchoServer(const Options &options, QObject *parent)
    : QObject(parent),
      m_pWebSocketServer(new RsWebSocketServer(QStringLiteral("RsWebSockets Echo Server"),
                                               RsWebSocketServer::NonSecureMode, this)),
      m_verbose(options.verbose)
{
    // Not in QWebSocketServer: accept permessage-deflate when the client offers it.
    m_pWebSocketServer->setCompressionEnabled(options.compress);
    // Echo messages up to 64 MiB (the Autobahn test suite sends up to 16 MiB).
    m_pWebSocketServer->setMaxAllowedIncomingFrameSize(64 * 1024 * 1024);
    m_pWebSocketServer->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    // Accept many clients connecting in quick succession.
    m_pWebSocketServer->setMaxPendingConnections(1024);

    if (m_pWebSocketServer->listen(QHostAddress::Any, options.port)) {
        out() << "Echo server listening on port " << m_pWebSocketServer->serverPort()
              << (options.compress ? " (permessage-deflate enabled)" : "") << Qt::endl;
        connect(m_pWebSocketServer, &RsWebSocketServer::newConnection,
                this, &EchoServer::onNewConnection);
        connect(m_pWebSocketServer, &RsWebSocketServer::closed, this, &EchoServer::closed);
    } else {
        out() << "Cannot listen on port " << options.port << ": "
              << m_pWebSocketServer->errorString() << Qt::endl;
    }
}
//! [constructor]

EchoServer::~EchoServer()
{
    m_pWebSocketServer->close();
    qDeleteAll(m_clients);
}

bool EchoServer::isListening() const
{
    return m_pWebSocketServer->isListening();
}

quint16 EchoServer::port() const
{
    return m_pWebSocketServer->serverPort();
}

//! [onNewConnection]
void EchoServer::onNewConnection()
{
    while (RsWebSocket *pSocket = m_pWebSocketServer->nextPendingConnection()) {
        // The socket is the context object: the connections end with it. Each lambda knows
        // its socket, so no slot has to look it up with sender().
        connect(pSocket, &RsWebSocket::textMessageReceived, pSocket,
                [this, pSocket](const QString &message) { processTextMessage(pSocket, message); });
        connect(pSocket, &RsWebSocket::binaryMessageReceived, pSocket,
                [this, pSocket](const QByteArray &message) {
                    processBinaryMessage(pSocket, message);
                });
        connect(pSocket, &RsWebSocket::disconnected, pSocket,
                [this, pSocket] { socketDisconnected(pSocket); });
        m_clients << pSocket;
        if (m_verbose) {
            const QString extensions = pSocket->extensions();
            out() << "Connected: " << describe(pSocket) << " " << pSocket->resourceName()
                  << (extensions.isEmpty() ? QString()
                                           : QStringLiteral(" [%1]").arg(extensions))
                  << Qt::endl;
        }
    }
}
//! [onNewConnection]

//! [processTextMessage]
void EchoServer::processTextMessage(RsWebSocket *pClient, const QString &message)
{
    pClient->sendTextMessage(message);
}
//! [processTextMessage]

//! [processBinaryMessage]
void EchoServer::processBinaryMessage(RsWebSocket *pClient, const QByteArray &message)
{
    pClient->sendBinaryMessage(message);
}
//! [processBinaryMessage]

//! [socketDisconnected]
void EchoServer::socketDisconnected(RsWebSocket *pClient)
{
    if (m_verbose) {
        out() << "Disconnected: " << describe(pClient) << " (close code "
              << int(pClient->closeCode()) << ")" << Qt::endl;
    }
    m_clients.removeAll(pClient);
    pClient->deleteLater();
}
//! [socketDisconnected]
