// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETCONNECTION_H
#define RSWEBSOCKETCONNECTION_H

#include <RsWebSockets/rswebsockethandshake.h>
#include <RsWebSockets/rswebsockets_global.h>
#include <RsWebSockets/rswebsocketprotocol.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Settings of one RsWebSocketConnection (libsoup's SoupWebsocketConnection properties, with the
// engine's defaults). A size of 0 means "no limit" / "never split"; a duration of 0 means "off".
struct RsWebSocketConnectionOptions
{
    std::string origin;   // informational (the handshake's Origin)
    std::string protocol; // informational unless a Negotiation provides one
    std::string uri;      // informational (the request URL / resource)

    std::uint64_t maxIncomingPayloadSize = 16 * 1024 * 1024; // largest frame payload accepted (1009 beyond)
    std::uint64_t maxMessageSize = 64 * 1024 * 1024; // largest message (after inflation) accepted (1009 beyond)

    std::chrono::milliseconds keepaliveInterval{0};      // send a Ping this often while open
    std::chrono::milliseconds keepalivePongTimeout{20000}; // fail (1011) if a keepalive Pong is this late
    std::chrono::milliseconds closeTimeout{10000};       // Closing -> Closed if the peer's Close never comes

    std::size_t outgoingFrameSize = 512 * 1024; // auto-fragment outgoing messages into frames of this size
    bool deliverFragments = false;              // emit TextFrame/BinaryFrame events instead of whole messages
    bool autoPong = true;                       // answer Pings automatically (Ping events are still emitted);
                                                // at most one automatic Pong waits unwritten: a newer
                                                // Ping's replaces it (RFC 6455 section 5.5.3), so write
                                                // the outgoing bytes after each Ping event to answer all
    std::size_t maxOutgoingSize = 0; // refuse data messages that would grow outgoingSize() past this (control frames always go)

    // Tests only: mask every client frame with this key instead of a CSPRNG key.
    std::optional<std::uint32_t> fixedMaskingKey;
};

class RsWebSocketConnectionPrivate;

// The WebSocket protocol (RFC 6455, RFC 7692) for one connection, without any I/O: like
// libsoup's SoupWebsocketConnection with the socket taken out, or python-websockets' sans-I/O
// protocol. The caller
//   - feeds bytes it read with receiveData() / receiveEof(),
//   - pulls events with nextEvent() until it returns false,
//   - writes outgoingData()/outgoingChunkSize() (or all of outgoingSlices() at once) to its
//     transport and calls consumeOutgoing(written), until outgoingSize() is 0,
//   - closes its transport when shouldCloseTransport() is true (after writing what is pending),
//   - arms a timer for nextTimeout() and calls handleTimeout() when it fires.
// No method throws; failures come back as return values, errorString() and Error events.
// Not thread-safe: use one connection from one thread at a time.
class RSWEBSOCKETS_EXPORT RsWebSocketConnection
{
public:
    enum class Role { Client, Server };
    enum class State { Connecting, Open, Closing, Closed };
    enum class MessageType { Text, Binary };

    enum class EventType {
        Text,        // a whole text message (UTF-8, validated)
        Binary,      // a whole binary message
        TextFrame,   // deliverFragments: one frame of a text message (isLast on the final one)
        BinaryFrame, // deliverFragments: one frame of a binary message
        Ping,        // payload received in a Ping (answered already when autoPong)
        Pong,        // payload received in a Pong
        Close,       // the end, always the last event: the peer's Close code (1005 if it had none) and
                     // reason in data, or 1006 when no Close came (EOF, failure, close timeout)
        Error,       // the connection failed (a Close event follows): message in data, closeCode is
                     // the code sent to the peer (1002, 1007, 1009, 1011 for a keepalive timeout, ...)
    };

    struct Event
    {
        EventType type = EventType::Text;
        std::string data; // payload, close reason or error message
        bool isLast = true;
        int closeCode = 0;
    };

    // Zero-copy form of Event: data points into the connection and stays valid until the next
    // non-const call on it.
    struct EventView
    {
        EventType type = EventType::Text;
        std::string_view data;
        bool isLast = true;
        int closeCode = 0;
    };

    explicit RsWebSocketConnection(Role role);
    RsWebSocketConnection(Role role, const RsWebSocketConnectionOptions &options);
    // After a handshake: the negotiated protocol and extensions (e.g. permessage-deflate) apply.
    RsWebSocketConnection(Role role, const RsWebSocketConnectionOptions &options,
                          RsWebSocketHandshake::Negotiation &&negotiation);
    ~RsWebSocketConnection();
    RsWebSocketConnection(RsWebSocketConnection &&other) noexcept;
    RsWebSocketConnection &operator=(RsWebSocketConnection &&other) noexcept;
    RsWebSocketConnection(const RsWebSocketConnection &) = delete;
    RsWebSocketConnection &operator=(const RsWebSocketConnection &) = delete;

    Role role() const;
    State state() const;
    std::string origin() const;
    std::string protocol() const;
    std::string uri() const;
    std::uint64_t maxIncomingPayloadSize() const;
    void setMaxIncomingPayloadSize(std::uint64_t size);
    std::uint64_t maxMessageSize() const;
    void setMaxMessageSize(std::uint64_t size);
    std::chrono::milliseconds keepaliveInterval() const;
    void setKeepaliveInterval(std::chrono::milliseconds interval);
    std::size_t outgoingFrameSize() const;
    void setOutgoingFrameSize(std::size_t size);

    int closeCode() const;           // the peer's close code (0 before its Close, 1005 if it had none, 1006 on EOF)
    std::string closeReason() const; // the peer's close reason
    std::vector<RsWebSocketExtension> extensions() const; // negotiated, with parameters
    std::string errorString() const; // why the last call failed, or why the connection failed

    // ---- input
    void receiveData(const void *data, std::size_t size);
    void receiveData(std::string_view data);
    // Like receiveData(), but stops as soon as an event is waiting (and takes nothing while one
    // is): returns how many bytes were used; pass the rest again once nextEvent() returned
    // false. A driver that handles each message before the next frame is read keeps a blocking
    // reader's order: the answer to a valid message goes out before the Close caused by a bad
    // frame that followed it. Input ignored anyway (after a failure, once closed) counts as used.
    std::size_t receiveDataUntilEvent(const void *data, std::size_t size);
    std::size_t receiveDataUntilEvent(std::string_view data);
    void receiveEof(); // the peer closed its side of the transport
    // Direct input, for large payloads without a copy: space inside the connection where the
    // next input bytes may be read directly (recv(), QIODevice::read()). Returns its length and
    // sets *data to its start, or returns 0 (and sets *data to nullptr) when there is none now:
    // then read into a buffer of your own and use receiveDataUntilEvent(). Space is offered only
    // inside the payload of a data frame no extension transforms, with at least 8 KiB of it still
    // to come, while no event waits; it never reaches past the frame's end.
    std::size_t inputBuffer(std::uint8_t **data);
    // The first `size` bytes of the space inputBuffer() returned were filled by a read: they are
    // processed as receiveDataUntilEvent() would process them (unmasked, UTF-8 checked, limits,
    // events at the frame's end). Call it right after the read, with no other call on this
    // connection in between. false (nothing processed) without a preceding inputBuffer(), or
    // when size is larger than the space.
    bool commitInput(std::size_t size);
    // External input, for large messages read straight into memory the caller owns (the buffer
    // it hands to its application): for a frame that is a whole message (FIN, Text or Binary, no
    // extension transforming it, at least 8 KiB still to come, no event waiting), externalInput()
    // fills `message` and returns true. The caller then allocates message.size bytes, copies
    // externalPrefix() (the first message.received bytes, which the connection holds, unmasked
    // and checked) to their start, reads the rest into them and hands each read to
    // commitExternal(). Once the first commitExternal() was made, the rest of the message must
    // come that way (receiveData() fails the connection there).
    struct ExternalMessage
    {
        MessageType type = MessageType::Binary;
        std::uint64_t size = 0;     // the payload length
        std::uint64_t received = 0; // bytes of it already received: where the next read goes
    };
    enum class ExternalResult {
        Incomplete, // more is to come; or the connection failed on these bytes (an Error event,
                    // e.g. 1007 for invalid UTF-8 at the first bad byte; externalInput() is false)
        Complete,   // the message is complete in the caller's memory (no event reports it)
        Refused,    // nothing was done: no external message now, or more bytes than it has left
    };
    bool externalInput(ExternalMessage &message) const;
    std::string_view externalPrefix() const; // empty once the message went external
    // `size` bytes at `data` (in the caller's memory, at offset message.received) were read:
    // they are unmasked in place and checked (UTF-8 for text, incrementally).
    ExternalResult commitExternal(std::uint8_t *data, std::size_t size);

    // ---- events
    bool nextEvent(Event &event);
    bool nextEvent(EventView &event);
    std::optional<Event> nextEvent();

    // ---- output commands: false when not allowed now (see errorString()); nothing is queued then
    bool sendText(std::string_view text);
    bool sendBinary(const void *data, std::size_t size);
    bool sendBinary(std::string_view data);
    // compress false: the negotiated extensions leave this message as it is (e.g. data that is
    // already compressed goes out without permessage-deflate).
    bool sendMessage(MessageType type, const void *data, std::size_t size, bool compress = true);
    // One message in pieces (each call sends one frame): begin, continue*, finish.
    bool beginMessage(MessageType type, const void *data, std::size_t size, bool compress = true);
    bool continueMessage(const void *data, std::size_t size);
    bool finishMessage(const void *data, std::size_t size);
    // A whole message whose bytes the connection does not copy when it can: it keeps `data` and
    // writes it from where it is (a server without extensions, messages of 4 KiB or more).
    // release(context) is called exactly once when the connection no longer needs the bytes:
    // once they are written (consumeOutgoing), when the connection is destroyed, or before this
    // returns when the message was copied instead (clients, which mask; negotiated extensions;
    // small messages) or refused (false). `data` must stay valid and unchanged until then;
    // release must not throw and must not call this connection. The bytes to write may then be
    // in several chunks (see outgoingSlices()).
    bool sendMessageShared(MessageType type, const std::uint8_t *data, std::size_t size,
                           void *context, void (*release)(void *context));
    bool ping(std::string_view payload = {}); // at most 125 bytes
    bool pong(std::string_view payload = {}); // unsolicited Pong (heartbeat), at most 125 bytes
    // Starts the close handshake: Open → Closing. code: 1000, 1001, 1003, 1007..1014 or 3000..4999.
    bool close(int code = RsWebSocketProtocol::CloseCodeNormal, std::string_view reason = {});
    // Fails the connection: sends Close(code, reason) if still possible, reports an Error event.
    // code is an RsWebSocketProtocol::CloseCode value (others become CloseCodeProtocolError).
    void fail(int code = RsWebSocketProtocol::CloseCodeProtocolError, std::string_view reason = {});

    // ---- masking keys (clients): keys to use first, in order, one per frame sent (e.g. from
    // Qt's QMaskGenerator); when none is queued, the CSPRNG (or fixedMaskingKey) is used.
    void queueMaskingKeys(const std::uint32_t *keys, std::size_t count);
    std::size_t queuedMaskingKeys() const; // queued keys not used yet

    // ---- bytes to write
    // The bytes waiting are one contiguous run unless sendMessageShared() queued payloads that
    // are written from where they are: then they are several runs (chunks), in order.
    struct OutgoingSlice
    {
        const std::uint8_t *data = nullptr;
        std::size_t size = 0;
    };
    std::size_t outgoingSize() const;          // bytes waiting to be written, in all chunks
    const std::uint8_t *outgoingData() const;  // the first chunk; valid until the next non-const call
    std::size_t outgoingChunkSize() const;     // the first chunk's length
    // Fills up to `count` (at most 16 per call) slices with the chunks waiting, in order, for one
    // vectored write (writev(), sendmsg()); returns how many. Valid until the next non-const call.
    std::size_t outgoingSlices(OutgoingSlice *slices, std::size_t count) const;
    void consumeOutgoing(std::size_t size);     // size bytes were written
    std::string takeOutgoing();                // all pending bytes, consumed
    bool shouldCloseTransport() const;         // close the transport once outgoingSize() is 0

    // ---- caller-driven clock
    std::optional<std::chrono::steady_clock::time_point> nextTimeout() const;
    void handleTimeout(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    std::unique_ptr<RsWebSocketConnectionPrivate> d;
};

#endif // RSWEBSOCKETCONNECTION_H
