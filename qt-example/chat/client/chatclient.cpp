// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "chatclient.h"

#include <RsWebSockets/RsWebSocketHandshakeOptions>

#include <QtCore/QTextStream>
#include <QtCore/QUrlQuery>

#include <unistd.h>

static QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

ChatClient::ChatClient(const QUrl &url, const QString &name, QObject *parent)
    : QObject(parent), m_stdin(STDIN_FILENO, QSocketNotifier::Read)
{
    connect(&m_webSocket, &RsWebSocket::connected, this, &ChatClient::onConnected);
    connect(&m_webSocket, &RsWebSocket::textMessageReceived, this, &ChatClient::onMessage);
    connect(&m_webSocket, &RsWebSocket::disconnected, this, &ChatClient::onDisconnected);
    m_stdin.setEnabled(false);
    connect(&m_stdin, &QSocketNotifier::activated, this, &ChatClient::onStdinReadable);

    //! [open]
    QUrl chatUrl = url;
    QUrlQuery query(chatUrl);
    query.addQueryItem(QStringLiteral("name"), name);
    chatUrl.setQuery(query);
    RsWebSocketHandshakeOptions options;
    options.setSubprotocols({ QStringLiteral("chat.v1") });
    m_webSocket.setCompressionEnabled(true); // used when the server accepts it
    m_webSocket.open(chatUrl, options);
    //! [open]
}

void ChatClient::onConnected()
{
    m_wasConnected = true;
    out() << "Connected to " << m_webSocket.requestUrl().toString(QUrl::RemoveQuery)
          << ": type a line to send it, /quit to leave" << Qt::endl;
    m_stdin.setEnabled(true);
}

void ChatClient::onMessage(const QString &message)
{
    out() << message << Qt::endl;
}

//! [stdin]
void ChatClient::onStdinReadable()
{
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) { // end of input: leave politely
        m_stdin.setEnabled(false);
        m_webSocket.close(RsWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
        return;
    }
    m_pendingInput.append(buffer, qsizetype(n));
    qsizetype newline;
    while ((newline = m_pendingInput.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_pendingInput.left(newline)).trimmed();
        m_pendingInput.remove(0, newline + 1);
        if (line == QLatin1String("/quit")) {
            m_stdin.setEnabled(false);
            m_webSocket.close(RsWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
            return;
        }
        if (!line.isEmpty())
            m_webSocket.sendTextMessage(line);
    }
}
//! [stdin]

void ChatClient::onDisconnected()
{
    m_stdin.setEnabled(false);
    if (!m_wasConnected) {
        out() << "Could not connect: " << m_webSocket.errorString() << Qt::endl;
        Q_EMIT finished(1);
        return;
    }
    out() << "Disconnected (close code " << int(m_webSocket.closeCode()) << ")" << Qt::endl;
    Q_EMIT finished(m_webSocket.closeCode() == RsWebSocketProtocol::CloseCodeNormal ? 0 : 1);
}
