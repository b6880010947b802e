// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef CHATCLIENT_H
#define CHATCLIENT_H

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QObject>
#include <QtCore/QSocketNotifier>
#include <QtCore/QUrl>

//! [class]
class ChatClient : public QObject
{
    Q_OBJECT
public:
    ChatClient(const QUrl &url, const QString &name, QObject *parent = nullptr);

Q_SIGNALS:
    void finished(int exitCode);

private Q_SLOTS:
    void onConnected();
    void onMessage(const QString &message);
    void onDisconnected();
    void onStdinReadable();

private:
    RsWebSocket m_webSocket;
    QSocketNotifier m_stdin;
    QByteArray m_pendingInput;
    bool m_wasConnected = false;
};
//! [class]

#endif // CHATCLIENT_H
