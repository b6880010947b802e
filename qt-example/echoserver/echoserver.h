// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef ECHOSERVER_H
#define ECHOSERVER_H

#include <QtCore/QList>
#include <QtCore/QObject>

class RsWebSocket;
class RsWebSocketServer;

//! [class]
class EchoServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        quint16 port = 1234;
        bool compress = false;
        bool verbose = true;
    };

    explicit EchoServer(const Options &options, QObject *parent = nullptr);
    ~EchoServer() override;

    bool isListening() const;
    quint16 port() const;

Q_SIGNALS:
    void closed();

private Q_SLOTS:
    void onNewConnection();

private:
    void processTextMessage(RsWebSocket *pClient, const QString &message);
    void processBinaryMessage(RsWebSocket *pClient, const QByteArray &message);
    void socketDisconnected(RsWebSocket *pClient);

    RsWebSocketServer *m_pWebSocketServer;
    QList<RsWebSocket *> m_clients;
    bool m_verbose;
};
//! [class]

#endif // ECHOSERVER_H
