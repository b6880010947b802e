// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// A QSignalSpy on every signal of an RsWebSocket, plus the order in which they came.

#ifndef RSWEBSOCKET_SOCKETSPIES_H
#define RSWEBSOCKET_SOCKETSPIES_H

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QStringList>
#include <QtTest/QSignalSpy>
#include <QtWebSockets/QWebSocket>

struct SocketSpies
{
    explicit SocketSpies(RsWebSocket *socket)
        : aboutToClose(socket, &RsWebSocket::aboutToClose),
          connected(socket, &RsWebSocket::connected),
          disconnected(socket, &RsWebSocket::disconnected),
          stateChanged(socket, &RsWebSocket::stateChanged),
          proxyAuthenticationRequired(socket, &RsWebSocket::proxyAuthenticationRequired),
          readChannelFinished(socket, &RsWebSocket::readChannelFinished),
          textFrameReceived(socket, &RsWebSocket::textFrameReceived),
          binaryFrameReceived(socket, &RsWebSocket::binaryFrameReceived),
          textMessageReceived(socket, &RsWebSocket::textMessageReceived),
          binaryMessageReceived(socket, &RsWebSocket::binaryMessageReceived),
          error(socket, qOverload<QAbstractSocket::SocketError>(&RsWebSocket::error)),
          errorOccurred(socket, &RsWebSocket::errorOccurred),
          pong(socket, &RsWebSocket::pong),
          bytesWritten(socket, &RsWebSocket::bytesWritten),
          peerVerifyError(socket, &RsWebSocket::peerVerifyError),
          sslErrors(socket, &RsWebSocket::sslErrors),
          preSharedKeyAuthenticationRequired(socket,
                                             &RsWebSocket::preSharedKeyAuthenticationRequired),
          alertSent(socket, &RsWebSocket::alertSent),
          alertReceived(socket, &RsWebSocket::alertReceived),
          handshakeInterruptedOnError(socket, &RsWebSocket::handshakeInterruptedOnError),
          bufferedAmountLow(socket, &RsWebSocket::bufferedAmountLow)
    {
        auto record = [this](const char *name) { return [this, name] { order << QLatin1String(name); }; };
        QObject::connect(socket, &RsWebSocket::aboutToClose, socket, record("aboutToClose"));
        QObject::connect(socket, &RsWebSocket::connected, socket, record("connected"));
        QObject::connect(socket, &RsWebSocket::disconnected, socket, record("disconnected"));
        QObject::connect(socket, &RsWebSocket::errorOccurred, socket, record("errorOccurred"));
        QObject::connect(socket, &RsWebSocket::stateChanged, socket,
                         [this](QAbstractSocket::SocketState state) {
                             order << QStringLiteral("state:%1").arg(int(state));
                         });
    }

    bool allValid() const
    {
        for (const QSignalSpy *spy : all()) {
            if (!spy->isValid())
                return false;
        }
        return true;
    }

    // The signals a plain ws:// connection never emits.
    bool noTlsSignals() const
    {
        return peerVerifyError.isEmpty() && sslErrors.isEmpty()
                && preSharedKeyAuthenticationRequired.isEmpty() && alertSent.isEmpty()
                && alertReceived.isEmpty() && handshakeInterruptedOnError.isEmpty()
                && proxyAuthenticationRequired.isEmpty();
    }

    QList<const QSignalSpy *> all() const
    {
        return { &aboutToClose, &connected, &disconnected, &stateChanged,
                 &proxyAuthenticationRequired, &readChannelFinished, &textFrameReceived,
                 &binaryFrameReceived, &textMessageReceived, &binaryMessageReceived, &error,
                 &errorOccurred, &pong, &bytesWritten, &peerVerifyError, &sslErrors,
                 &preSharedKeyAuthenticationRequired, &alertSent, &alertReceived,
                 &handshakeInterruptedOnError, &bufferedAmountLow };
    }

    QSignalSpy aboutToClose;
    QSignalSpy connected;
    QSignalSpy disconnected;
    QSignalSpy stateChanged;
    QSignalSpy proxyAuthenticationRequired;
    QSignalSpy readChannelFinished;
    QSignalSpy textFrameReceived;
    QSignalSpy binaryFrameReceived;
    QSignalSpy textMessageReceived;
    QSignalSpy binaryMessageReceived;
    QSignalSpy error;
    QSignalSpy errorOccurred;
    QSignalSpy pong;
    QSignalSpy bytesWritten;
    QSignalSpy peerVerifyError;
    QSignalSpy sslErrors;
    QSignalSpy preSharedKeyAuthenticationRequired;
    QSignalSpy alertSent;
    QSignalSpy alertReceived;
    QSignalSpy handshakeInterruptedOnError;
    QSignalSpy bufferedAmountLow;
    QStringList order;
};

// What QWebSocket emits for the same scenario, in SocketSpies' notation.
struct QtRecorder
{
    explicit QtRecorder(QWebSocket *socket)
    {
        auto rec = [this](const char *name) { return [this, name] { order << QLatin1String(name); }; };
        QObject::connect(socket, &QWebSocket::aboutToClose, socket, rec("aboutToClose"));
        QObject::connect(socket, &QWebSocket::connected, socket, rec("connected"));
        QObject::connect(socket, &QWebSocket::disconnected, socket, rec("disconnected"));
        QObject::connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                         socket, rec("errorOccurred"));
        QObject::connect(socket, &QWebSocket::stateChanged, socket,
                         [this](QAbstractSocket::SocketState state) {
                             order << QStringLiteral("state:%1").arg(int(state));
                         });
    }
    QStringList order;
};

#endif // RSWEBSOCKET_SOCKETSPIES_H
