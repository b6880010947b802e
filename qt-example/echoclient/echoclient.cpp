// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "echoclient.h"

#include <QtCore/QTextStream>

static QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

//! [constructor]
EchoClient::EchoClient(const QUrl &url, bool compress, QObject *parent)
    : QObject(parent), m_url(url)
{
    connect(&m_webSocket, &RsWebSocket::connected, this, &EchoClient::onConnected);
    connect(&m_webSocket, &RsWebSocket::disconnected, this, &EchoClient::onDisconnected);
    connect(&m_webSocket, &RsWebSocket::errorOccurred, this, &EchoClient::onError);
    connect(&m_webSocket, &RsWebSocket::textMessageReceived,
            this, &EchoClient::onTextMessageReceived);
    connect(&m_webSocket, &RsWebSocket::binaryMessageReceived,
            this, &EchoClient::onBinaryMessageReceived);
    // Frame bytes handed to the network: shows what compression saves.
    connect(&m_webSocket, &RsWebSocket::bytesWritten, this,
            [this](qint64 bytes) { m_bytesOnWire += bytes; });

    // Not in QWebSocket: offer permessage-deflate (RFC 7692).
    m_webSocket.setCompressionEnabled(compress);

    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("no answer within 10 seconds")); });
    m_watchdog.start(10000);

    out() << "Connecting to " << url.toString() << Qt::endl;
    m_webSocket.open(url);
}
//! [constructor]

//! [onConnected]
void EchoClient::onConnected()
{
    const QString extensions = m_webSocket.extensions();
    out() << "Connected" << (extensions.isEmpty() ? QStringLiteral(" (no extension)")
                                                  : QStringLiteral(" with ") + extensions)
          << Qt::endl;
    sendNext();
}
//! [onConnected]

// Three round trips: a short text, a binary message, and a long, very compressible text
// (compressed on the wire when the server accepted permessage-deflate).
void EchoClient::sendNext()
{
    m_expectedText.clear();
    m_expectedBinary.clear();
    switch (m_step) {
    case 0:
        m_expectedText = QStringLiteral("Hello, RsWebSockets! \u00e9\u20ac");
        out() << "Sending text:    " << m_expectedText << Qt::endl;
        m_webSocket.sendTextMessage(m_expectedText);
        break;
    case 1:
        m_expectedBinary = QByteArray::fromHex("00010203fdfeff");
        out() << "Sending binary:  " << m_expectedBinary.toHex(' ') << Qt::endl;
        m_webSocket.sendBinaryMessage(m_expectedBinary);
        break;
    case 2:
        m_expectedText = QStringLiteral("All work and no play makes Jack a dull boy. ").repeated(1500);
        out() << "Sending " << m_expectedText.size() << " characters of repetitive text"
              << (m_webSocket.isCompressionActive() ? " (permessage-deflate)" : " (uncompressed)")
              << Qt::endl;
        m_bytesOnWire = 0;
        m_webSocket.sendTextMessage(m_expectedText);
        break;
    default:
        //! [close]
        out() << "Closing" << Qt::endl;
        m_webSocket.close(RsWebSocketProtocol::CloseCodeNormal, QStringLiteral("done"));
        //! [close]
        break;
    }
}

//! [onTextMessageReceived]
void EchoClient::onTextMessageReceived(const QString &message)
{
    if (m_expectedText.isEmpty() || message != m_expectedText) {
        fail(QStringLiteral("unexpected text message of %1 characters").arg(message.size()));
        return;
    }
    if (message.size() > 80)
        out() << "Echoed text:     " << message.size() << " characters, intact ("
              << m_bytesOnWire << " bytes sent on the wire)" << Qt::endl;
    else
        out() << "Echoed text:     " << message << Qt::endl;
    ++m_step;
    sendNext();
}
//! [onTextMessageReceived]

void EchoClient::onBinaryMessageReceived(const QByteArray &message)
{
    if (m_expectedBinary.isEmpty() || message != m_expectedBinary) {
        fail(QStringLiteral("unexpected binary message of %1 bytes").arg(message.size()));
        return;
    }
    out() << "Echoed binary:   " << message.toHex(' ') << Qt::endl;
    ++m_step;
    sendNext();
}

void EchoClient::onDisconnected()
{
    if (m_done)
        return;
    if (m_step < 3) {
        fail(QStringLiteral("disconnected early: %1").arg(m_webSocket.errorString()));
        return;
    }
    m_done = true;
    m_watchdog.stop();
    out() << "Closed cleanly (close code " << int(m_webSocket.closeCode()) << ")" << Qt::endl;
    Q_EMIT finished(m_webSocket.closeCode() == RsWebSocketProtocol::CloseCodeNormal ? 0 : 1);
}

void EchoClient::onError(QAbstractSocket::SocketError error)
{
    Q_UNUSED(error);
    if (m_step < 3)
        fail(m_webSocket.errorString());
}

void EchoClient::fail(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_watchdog.stop();
    out() << "Error: " << why << Qt::endl;
    m_webSocket.abort();
    Q_EMIT finished(1);
}
