// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// tst_RsWebSocket: RsWebSocket against in-process peers. The test functions are spread over
// tst_rswebsocket.cpp (API and messaging), tst_rswebsocket_robustness.cpp (keep-alive,
// limits, broken peers, large messages, compression) and tst_rswebsocket_tls.cpp (wss, proxy).

#ifndef TST_RSWEBSOCKET_H
#define TST_RSWEBSOCKET_H

#include <QtCore/QObject>
#include <QtCore/QTemporaryDir>

#include <memory>

class tst_RsWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // tst_rswebsocket.cpp
    void defaults();
    void settersRoundTrip();
    void sizeLimitsLikeQt_data();
    void sizeLimitsLikeQt();
    void invalidUrl_data();
    void invalidUrl();
    void connectionRefused();
    void connectSignalsAndRequest();
    void echo_data();
    void echo();
    void sendFromSlotThenNestedLoop();
    void framesAndMessages_data();
    void framesAndMessages();
    void pingPong_data();
    void pingPong();
    void closeByClient_data();
    void closeByClient();
    void closeByServer_data();
    void closeByServer();
    void subprotocol_data();
    void subprotocol();
    void handshakeRejected_data();
    void handshakeRejected();
    void closeOrAbortEarly_data();
    void closeOrAbortEarly();
    void deleteFromSlot_data();
    void deleteFromSlot();
    void reopen();
    void worksInAnotherThread();
    void maskGenerator();
    void maskGeneratorOnTheWire();

    // tst_rswebsocket_robustness.cpp
    void keepAliveDetectsDeadPeer();
    void keepAliveKeepsLivePeer();
    void closeTimeout_data();
    void closeTimeout();
    void incomingLimits_data();
    void incomingLimits();
    void peerVanishes_data();
    void peerVanishes();
    void protocolViolation_data();
    void protocolViolation();
    void largeMessage();
    void bufferedAmount();
    void pauseMode();
    void compressionDeclinedByQtServer();
    void compressionWithPythonWebsockets_data();
    void compressionWithPythonWebsockets();
    void inflatedSizeLimit();

    // tst_rswebsocket_tls.cpp
    void wssEcho();
    void wssUntrustedCertificate_data();
    void wssUntrustedCertificate();
    void wssInterruptedHandshake();
    void wssAlertReceived();
    void wssPreSharedKey();
    void proxyAuthenticationRequired();

    // tst_rswebsocket_directio.cpp
    void directIoLargeEcho_data();
    void directIoLargeEcho();
    void directIoPeerVanishesMidMessage();
    void deliveredMessagesStayIntact();
    void smallBurstWaitsForTheNextTurn();
    void automaticAnswersPrecedeTheSlots_data();
    void automaticAnswersPrecedeTheSlots();

    // tst_rswebsocket_zerocopy.cpp
    void zeroCopyEcho_data();
    void zeroCopyEcho();
    void zeroCopySenderKeepsItsArray();
    void zeroCopyAbortReleasesQueuedPayloads_data();
    void zeroCopyAbortReleasesQueuedPayloads();

    // tst_rswebsocket_textpath.cpp
    void textAsciiAndBeyond_data();
    void textAsciiAndBeyond();
    void frameSignalsFollowConnections();

private:
    bool makeCertificate();

    QTemporaryDir m_dir;
    QString m_certPath;
    QString m_keyPath;
    bool m_haveCertificate = false;
};

#endif // TST_RSWEBSOCKET_H
