// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef CHATSERVER_H
#define CHATSERVER_H

#include <QtCore/QHash>
#include <QtCore/QObject>

class RsWebSocket;
class RsWebSocketServer;

//! [class]
class ChatServer : public QObject
{
    Q_OBJECT
public:
    explicit ChatServer(quint16 port, bool compress, QObject *parent = nullptr);
    ~ChatServer() override;

    bool isListening() const;

private Q_SLOTS:
    void onNewConnection();

private:
    void processMessage(RsWebSocket *pSender, const QString &message);
    void socketDisconnected(RsWebSocket *pClient);
    void broadcast(const QString &message, RsWebSocket *except = nullptr);

    RsWebSocketServer *m_pWebSocketServer;
    QHash<RsWebSocket *, QString> m_names; // connected client -> its name
};
//! [class]

#endif // CHATSERVER_H
