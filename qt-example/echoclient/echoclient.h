// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef ECHOCLIENT_H
#define ECHOCLIENT_H

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

//! [class]
class EchoClient : public QObject
{
    Q_OBJECT
public:
    explicit EchoClient(const QUrl &url, bool compress, QObject *parent = nullptr);

Q_SIGNALS:
    // Emitted once: 0 when every message came back intact and the close was clean.
    void finished(int exitCode);

private Q_SLOTS:
    void onConnected();
    void onTextMessageReceived(const QString &message);
    void onBinaryMessageReceived(const QByteArray &message);
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);

private:
    void sendNext();
    void fail(const QString &why);

    RsWebSocket m_webSocket;
    QUrl m_url;
    QTimer m_watchdog;
    int m_step = 0;
    bool m_done = false;
    QString m_expectedText;
    QByteArray m_expectedBinary;
    qint64 m_bytesOnWire = 0;
};
//! [class]

#endif // ECHOCLIENT_H
