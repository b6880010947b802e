// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKET_P_H
#define RSWEBSOCKET_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RsWebSockets API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include "rsdefaultmaskgenerator_p.h"

#include <RsWebSockets/rswebsocket.h>
#include <RsWebSockets/rswebsocketconnection.h>
#include <RsWebSockets/rswebsockethandshake.h>
#include <RsWebSockets/rswebsockethandshakeoptions.h>

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QStringDecoder>
#include <QtCore/QTimer>

#include <atomic>
#include <memory>
#include <optional>

class QTcpSocket;

// Settings that must be known before a connection reads its first frame. RsWebSocketServer
// fills one from its own properties and hands it to RsWebSocketPrivate::upgradeFrom().
// A negative time or a zero size means "RsWebSocket's default".
struct RsWebSocketSettings
{
    quint64 maxAllowedIncomingFrameSize = 0;   // 0: RsWebSocket::maxIncomingFrameSize()
    quint64 maxAllowedIncomingMessageSize = 0; // 0: RsWebSocket::maxIncomingMessageSize()
    quint64 outgoingFrameSize = 0;             // 0: the default (512 KiB, like Qt)
    int keepAliveInterval = -1;                // ms; -1: default (0, off)
    int pongTimeout = -1;                      // ms; -1: default (10000)
    int closeTimeout = -1;                     // ms; -1: default (5000)
};

class RsWebSocketPrivate
{
    Q_DECLARE_PUBLIC(RsWebSocket)

public:
    RsWebSocketPrivate(const QString &origin, RsWebSocketProtocol::Version version);
    ~RsWebSocketPrivate();

    // Creates a server-side RsWebSocket over a socket whose opening handshake the server
    // already completed (the 101 response is already written or queued). Takes ownership of
    // the socket (reparents it to the new RsWebSocket), starts in ConnectedState, and
    // processes `leftover` (bytes that arrived after the request head) as WebSocket data on
    // the next event-loop turn, so the caller can connect to the socket's signals first.
    // `negotiation` is RsWebSocketHandshake::ServerResponse::negotiation of the accepted
    // handshake; `protocol` the chosen subprotocol; `request` carries the request URL and
    // headers; `origin` the Origin header. A QSslSocket's configuration is copied.
    static RsWebSocket *upgradeFrom(QTcpSocket *socket,
                                    RsWebSocketHandshake::Negotiation &&negotiation,
                                    const QNetworkRequest &request, const QString &origin,
                                    const QString &protocol, const QByteArray &leftover,
                                    const RsWebSocketSettings &settings = RsWebSocketSettings(),
                                    QObject *parent = nullptr);

    // ---- commands (the public class forwards here)
    void open(const QNetworkRequest &request, const RsWebSocketHandshakeOptions &options);
    void close(RsWebSocketProtocol::CloseCode closeCode, const QString &reason);
    void abort();
    void ping(const QByteArray &payload);
    void queueApplicationMaskingKeys(quint64 payloadSize);
    // Large messages of a server without compression are queued without a copy: the engine
    // keeps a shallow copy of `data` (a reference) until it wrote them (see rswebsocketio_p.cpp).
    qint64 sendMessage(RsWebSocketConnection::MessageType type, const QByteArray &data);
    bool flush();

    // ---- state
    void setSocketState(QAbstractSocket::SocketState state);
    void setErrorString(const QString &errorString);
    void emitErrorOccurred(QAbstractSocket::SocketError error);
    qint64 bufferedAmount() const;

    // ---- socket plumbing
    void attachSocket(QTcpSocket *socket);
    void releaseSocket();
    void onSocketConnected();
    void onSocketStateChanged(QAbstractSocket::SocketState state);
    void onSocketError(QAbstractSocket::SocketError error);
    void onReadyRead();
    void onReadChannelFinished();
    void onBytesWritten(qint64 bytes);
    void processHandshake();
    void startConnection(RsWebSocketHandshake::Negotiation &&negotiation,
                         RsWebSocketConnection::Role role);
    RsWebSocketConnectionOptions connectionOptions() const;

    // ---- engine plumbing
    // Feeds bytes to the engine, then emits the events, writes the output and re-arms the
    // timer. Returns false if the RsWebSocket was destroyed by a slot.
    bool feed(const char *data, std::size_t size);
    bool drain(bool fromTimer = false);
    // `guard` watches q (a caller handing out many events passes its own: one QPointer per
    // read instead of one per message); false when q was deleted.
    bool processEvents(bool fromTimer, const QPointer<RsWebSocket> &guard);
    bool processEvents(bool fromTimer);
    bool deliverFrame(bool isText, std::string_view data, bool isLast,
                      const QPointer<RsWebSocket> &guard);
    // `guard` watches the RsWebSocket (the caller's, one QPointer per batch of events).
    void emitBinaryMessage(std::string_view data, const QPointer<RsWebSocket> &guard);
    void emitTextMessage(std::string_view data, const QPointer<RsWebSocket> &guard);
    void failed(int closeCode, const QString &message, bool fromTimer);
    // Reads what arrived and feeds it to the engine until nothing is left; false if a slot
    // destroyed the RsWebSocket (see rswebsocketio_p.cpp for reads around QTcpSocket's buffer).
    bool readIntoEngine();
    // One read into m_externalMessage (set up first for a new message): the bytes read (0:
    // nothing now), -1 when a slot destroyed the RsWebSocket; *drained as for readSome().
    qint64 readExternal(const RsWebSocketConnection::ExternalMessage &message, qint64 buffered,
                        bool *drained);
    bool deliverExternal(); // the completed external message; false if a slot destroyed us
    void adaptDirectRead(qint64 lastRead);
    qint64 receiveAround(char *data, qint64 size); // recv() past QTcpSocket; 0: nothing now
    qint64 readSome(char *data, qint64 size, qint64 buffered, bool *drained);
    // Writes what the engine has to send: straight to the kernel when m_directIo and the
    // socket's own buffer is empty (see rswebsocketio_p.cpp); `everything` hands all of it
    // to the socket (before disconnectFromHost(), which only waits for the socket's buffer).
    // Returns the bytes sent straight to the kernel (the rest went to QTcpSocket or waits).
    qint64 writeOutgoing(bool everything = false);
    void writePiece(qint64 limit); // up to `limit` bytes of the engine's chunks to QTcpSocket
    // A small write the application made from its own code waits for the next event-loop turn
    // (a burst then goes out in one system call).
    bool deferSmallWrite() const;
    void reportDirectWrites();
    void emitDirectWrites(); // bytesWritten() for m_directWritten, then bufferedAmountLow()
    bool directWritesWanted() const;
    bool canUseDescriptor(QTcpSocket *socket, bool clientRole) const;
    void rearmTimer();
    void onTimeout();
    void finishTransport();
    void checkBufferedAmountLow();

    RsWebSocket *q_ptr = nullptr;

    // what the user configured
    QString m_origin;
    RsWebSocketProtocol::Version m_version;
    QNetworkRequest m_request;
    RsWebSocketHandshakeOptions m_options;
    QAbstractSocket::PauseModes m_pauseMode = QAbstractSocket::PauseNever;
    qint64 m_readBufferSize = 0;
#ifndef QT_NO_NETWORKPROXY
    QNetworkProxy m_proxy;
#endif
#ifndef QT_NO_SSL
    QSslConfiguration m_sslConfiguration;
    QList<QSslError> m_ignoredSslErrors;
    bool m_ignoreSslErrors = false;
#endif
    RsDefaultMaskGenerator m_defaultMaskGenerator;
    const RsMaskGenerator *m_maskGenerator = nullptr;

    quint64 m_maxFrameSize;
    quint64 m_maxMessageSize;
    quint64 m_outgoingFrameSize;
    int m_keepAliveInterval = 0;
    int m_pongTimeout = 10000;
    int m_closeTimeout = 5000;
    qint64 m_lowWaterMark = 0;
    bool m_compressionEnabled = false;
    RsWebSocketDeflateOptions m_deflate; // offered / accepted when m_compressionEnabled

    // what the current connection is
    QAbstractSocket::SocketState m_state = QAbstractSocket::UnconnectedState;
    QString m_resourceName;
    QString m_protocol;
    QString m_extensions;
    bool m_compressionActive = false;
    RsWebSocketProtocol::CloseCode m_closeCode = RsWebSocketProtocol::CloseCodeNormal;
    QString m_closeReason;
    QString m_errorString;
    QAbstractSocket::SocketError m_error = QAbstractSocket::UnknownSocketError;
    bool m_isServer = false;
    bool m_closeStarted = false;     // aboutToClose emitted for this connection
    bool m_closeHandshakeDone = false;
    bool m_aboveLowWater = false;
    bool m_eofReceived = false;      // the engine was told about the peer's EOF
    bool m_failed = false;           // the engine failed the connection (Error event)

    QTcpSocket *m_socket = nullptr;
    int m_socketCallbackDepth = 0; // > 0 while a slot on one of the socket's signals runs
    int m_eventDepth = 0; // > 0 while processEvents() hands out events (drain() writes then)
    bool m_directIo = false;   // plain TCP: bytes may go around QTcpSocket's buffers
    bool m_directRead = false; // reading around QTcpSocket's buffer now (its readBufferSize is 1)
    bool m_directWriteReportQueued = false; // a queued bytesWritten() for m_directWritten
    qint64 m_directWritten = 0; // sent directly, not reported by bytesWritten() yet
    std::optional<RsWebSocketHandshake::Client> m_handshake;
    QByteArray m_handshakeBuffer;
    QByteArray m_pendingInput; // server: bytes that came after the request head
    QByteArray m_readBuffer;   // what onReadyRead() reads into, kept for the connection
    bool m_reading = false;    // feed() is going through m_readBuffer
    bool m_readChannelFinishDeferred = false; // the socket's end came while m_reading
    std::unique_ptr<RsWebSocketConnection> m_connection;

    // message reassembly (the engine delivers frames)
    QByteArray m_messageBuffer;
    bool m_messageIsText = false;
    bool m_inMessage = false;
    QStringDecoder m_frameDecoder;
    bool m_frameDecoderFresh = false; // m_frameDecoder was reset for the current message
    QByteArray m_deliveredBytes; // binaryMessageReceived()'s argument, kept for the next message
    QString m_deliveredText;     // textMessageReceived()'s argument, kept for the next message
    bool m_delivering = false;   // one of them is being emitted
    // A large one-frame message read straight from the socket into the QByteArray that is
    // handed out (RsWebSocketConnection::externalInput()): no copy out of the engine.
    QByteArray m_externalMessage;
    QByteArray m_externalText;      // m_externalMessage's buffer for text, kept for the next one
    bool m_externalActive = false;  // m_externalMessage holds the message being read
    bool m_externalIsText = false;  // ... and it is a text message
    bool m_headerReadNext = false;  // after one: read a frame header's worth, so that the payload
                                    // of a large message that follows goes external too
    bool m_writeAfterRead = false;  // messages were delivered externally: drain() once reading ends
    // connectNotify()/disconnectNotify() counts for textFrameReceived()/binaryFrameReceived():
    // 0 means nothing is connected; otherwise QObject::isSignalConnected() decides (a
    // receiver's destruction may leave a count too high).
    // Atomic: connections may be made from other threads (connectNotify() runs there).
    std::atomic<int> m_textFrameReceivers{0};
    std::atomic<int> m_binaryFrameReceivers{0};

    // Children of the RsWebSocket, so that moveToThread() takes them along.
    QTimer *m_timer = nullptr;          // the engine's next timeout (keep-alive, pong, close)
    QTimer *m_transportTimer = nullptr; // bounds the TCP close after the close handshake
    QTimer *m_flushTimer = nullptr;     // writes what slots sent if one runs a nested event loop
    bool m_flushArmed = false;          // m_flushTimer runs (cheaper to ask than isActive())
    QElapsedTimer m_pingTimer;
};

#endif // RSWEBSOCKET_P_H
