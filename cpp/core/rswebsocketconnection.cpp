// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsocketconnection_p.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <utility>

namespace bridge = rswebsockets::bridge;
using namespace RsWebSocketBridge;

namespace {

// The bridge releases the bytes of a shared send through this (a C function it can call):
// `release` is the caller's function, `context` its argument.
extern "C" void rsws_release_shared(std::uintptr_t release, std::uintptr_t context) noexcept
{
    reinterpret_cast<void (*)(void *)>(release)(reinterpret_cast<void *>(context));
}

std::uint64_t millis(std::chrono::milliseconds d)
{
    return d.count() > 0 ? std::uint64_t(d.count()) : 0;
}

RsWebSocketConnection::EventType toType(bridge::EventKind kind)
{
    using T = RsWebSocketConnection::EventType;
    switch (kind) {
    case bridge::EventKind::Text:
        return T::Text;
    case bridge::EventKind::Binary:
        return T::Binary;
    case bridge::EventKind::TextFrame:
        return T::TextFrame;
    case bridge::EventKind::BinaryFrame:
        return T::BinaryFrame;
    case bridge::EventKind::Ping:
        return T::Ping;
    case bridge::EventKind::Pong:
        return T::Pong;
    case bridge::EventKind::Close:
        return T::Close;
    case bridge::EventKind::Error:
    default:
        return T::Error;
    }
}

rust::Box<bridge::Connection> makeConnection(const bridge::ConnectionSettings &settings,
                                             RsWebSocketHandshake::Negotiation &negotiation)
{
    if (bridge::Negotiated *negotiated = RsWebSocketHandshake::NegotiationPrivate::get(negotiation))
        return bridge::connection_new(settings, *negotiated);
    auto none = bridge::negotiated_empty();
    return bridge::connection_new(settings, *none);
}

} // namespace

// ---- private --------------------------------------------------------------------------------

RsWebSocketConnectionPrivate::RsWebSocketConnectionPrivate(
        RsWebSocketConnection::Role r, const RsWebSocketConnectionOptions &o,
        RsWebSocketHandshake::Negotiation &&negotiation)
    : role(r),
      options(o),
      extensions(negotiation.extensions()),
      origin(std::chrono::steady_clock::now()),
      connection(makeConnection(settings(), negotiation)),
      current{bridge::EventKind::Close, {}, true, 0}
{
    const std::string negotiatedProtocol = negotiation.protocol();
    if (!negotiatedProtocol.empty())
        options.protocol = negotiatedProtocol;
    // The extension instances now belong to this connection: the negotiation is used up.
    negotiation = RsWebSocketHandshake::Negotiation();
}

bridge::ConnectionSettings RsWebSocketConnectionPrivate::settings() const
{
    bridge::ConnectionSettings s{};
    s.server = role == RsWebSocketConnection::Role::Server;
    s.max_frame_size = options.maxIncomingPayloadSize;
    s.max_message_size = options.maxMessageSize;
    s.keepalive_interval_ms = millis(options.keepaliveInterval);
    s.pong_timeout_ms = millis(options.keepalivePongTimeout);
    s.close_timeout_ms = millis(options.closeTimeout);
    s.outgoing_frame_size = options.outgoingFrameSize;
    s.deliver_fragments = options.deliverFragments;
    s.auto_pong = options.autoPong;
    s.max_outgoing_size = options.maxOutgoingSize;
    s.fixed_mask = options.fixedMaskingKey.has_value();
    s.mask_key = options.fixedMaskingKey.value_or(0);
    return s;
}

void RsWebSocketConnectionPrivate::applySettings()
{
    guarded([this] {
        connection->set_settings(settings());
        return true;
    });
}

template<typename F>
bool RsWebSocketConnectionPrivate::guarded(F &&f) noexcept
{
    try {
        errorString.clear();
        return f();
    } catch (const std::exception &e) {
        errorString = e.what();
        return false;
    } catch (...) {
        errorString = "unknown error";
        return false;
    }
}

// ---- construction ---------------------------------------------------------------------------

RsWebSocketConnection::RsWebSocketConnection(Role role)
    : RsWebSocketConnection(role, RsWebSocketConnectionOptions{}, RsWebSocketHandshake::Negotiation{})
{
}

RsWebSocketConnection::RsWebSocketConnection(Role role, const RsWebSocketConnectionOptions &options)
    : RsWebSocketConnection(role, options, RsWebSocketHandshake::Negotiation{})
{
}

RsWebSocketConnection::RsWebSocketConnection(Role role, const RsWebSocketConnectionOptions &options,
                                             RsWebSocketHandshake::Negotiation &&negotiation)
{
    try {
        d = std::make_unique<RsWebSocketConnectionPrivate>(role, options, std::move(negotiation));
    } catch (const std::exception &) {
        d.reset(); // an unusable connection: Closed, every command fails
    }
}

RsWebSocketConnection::~RsWebSocketConnection() = default;
RsWebSocketConnection::RsWebSocketConnection(RsWebSocketConnection &&other) noexcept = default;
RsWebSocketConnection &RsWebSocketConnection::operator=(RsWebSocketConnection &&other) noexcept = default;

// ---- getters and settings -------------------------------------------------------------------

RsWebSocketConnection::Role RsWebSocketConnection::role() const
{
    return d ? d->role : Role::Client;
}

RsWebSocketConnection::State RsWebSocketConnection::state() const
{
    if (!d)
        return State::Closed;
    switch (d->connection->state()) {
    case bridge::ConnectionState::Connecting:
        return State::Connecting;
    case bridge::ConnectionState::Open:
        return State::Open;
    case bridge::ConnectionState::Closing:
        return State::Closing;
    case bridge::ConnectionState::Closed:
    default:
        return State::Closed;
    }
}

std::string RsWebSocketConnection::origin() const
{
    return d ? d->options.origin : std::string();
}

std::string RsWebSocketConnection::protocol() const
{
    return d ? d->options.protocol : std::string();
}

std::string RsWebSocketConnection::uri() const
{
    return d ? d->options.uri : std::string();
}

std::uint64_t RsWebSocketConnection::maxIncomingPayloadSize() const
{
    return d ? d->options.maxIncomingPayloadSize : 0;
}

void RsWebSocketConnection::setMaxIncomingPayloadSize(std::uint64_t size)
{
    if (!d)
        return;
    d->options.maxIncomingPayloadSize = size;
    d->applySettings();
}

std::uint64_t RsWebSocketConnection::maxMessageSize() const
{
    return d ? d->options.maxMessageSize : 0;
}

void RsWebSocketConnection::setMaxMessageSize(std::uint64_t size)
{
    if (!d)
        return;
    d->options.maxMessageSize = size;
    d->applySettings();
}

std::chrono::milliseconds RsWebSocketConnection::keepaliveInterval() const
{
    return d ? d->options.keepaliveInterval : std::chrono::milliseconds(0);
}

void RsWebSocketConnection::setKeepaliveInterval(std::chrono::milliseconds interval)
{
    if (!d)
        return;
    d->options.keepaliveInterval = interval;
    d->applySettings();
}

std::size_t RsWebSocketConnection::outgoingFrameSize() const
{
    return d ? d->options.outgoingFrameSize : 0;
}

void RsWebSocketConnection::setOutgoingFrameSize(std::size_t size)
{
    if (!d)
        return;
    d->options.outgoingFrameSize = size;
    d->applySettings();
}

int RsWebSocketConnection::closeCode() const
{
    return d ? d->connection->close_code() : int(RsWebSocketProtocol::CloseCodeAbnormalDisconnection);
}

std::string RsWebSocketConnection::closeReason() const
{
    if (!d)
        return {};
    try {
        return toStd(d->connection->close_reason());
    } catch (const std::exception &) {
        return {};
    }
}

std::vector<RsWebSocketExtension> RsWebSocketConnection::extensions() const
{
    return d ? d->extensions : std::vector<RsWebSocketExtension>();
}

std::string RsWebSocketConnection::errorString() const
{
    if (!d)
        return "the connection could not be created";
    if (!d->errorString.empty())
        return d->errorString;
    try {
        return toStd(d->connection->error_string());
    } catch (const std::exception &e) {
        return e.what();
    }
}

// ---- input and events -----------------------------------------------------------------------

void RsWebSocketConnection::receiveData(const void *data, std::size_t size)
{
    if (d)
        d->connection->receive_data(bytes(data, size));
}

void RsWebSocketConnection::receiveData(std::string_view data)
{
    receiveData(data.data(), data.size());
}

std::size_t RsWebSocketConnection::receiveDataUntilEvent(const void *data, std::size_t size)
{
    if (!d)
        return size;
    return d->connection->receive_data_until_event(bytes(data, size));
}

std::size_t RsWebSocketConnection::receiveDataUntilEvent(std::string_view data)
{
    return receiveDataUntilEvent(data.data(), data.size());
}

void RsWebSocketConnection::receiveEof()
{
    if (d)
        d->connection->receive_eof();
}

std::size_t RsWebSocketConnection::inputBuffer(std::uint8_t **data)
{
    std::size_t size = 0;
    std::uint8_t *space = d ? d->connection->input_buffer(size) : nullptr;
    if (data)
        *data = space;
    return space ? size : 0;
}

bool RsWebSocketConnection::commitInput(std::size_t size)
{
    return d && d->connection->commit_input(size);
}

bool RsWebSocketConnection::externalInput(ExternalMessage &message) const
{
    bridge::ExternalInput info{false, 0, 0};
    if (!d || !d->connection->external_input(info))
        return false;
    message.type = info.binary ? MessageType::Binary : MessageType::Text;
    message.size = info.len;
    message.received = info.received;
    return true;
}

std::string_view RsWebSocketConnection::externalPrefix() const
{
    if (!d)
        return {};
    const auto prefix = d->connection->external_prefix();
    return std::string_view(reinterpret_cast<const char *>(prefix.data()), prefix.size());
}

RsWebSocketConnection::ExternalResult RsWebSocketConnection::commitExternal(std::uint8_t *data,
                                                                            std::size_t size)
{
    if (!d || (!data && size > 0))
        return ExternalResult::Refused;
    switch (d->connection->commit_external(data, size)) {
    case 1:
        return ExternalResult::Complete;
    case 0:
        return ExternalResult::Incomplete;
    default:
        return ExternalResult::Refused;
    }
}

bool RsWebSocketConnection::nextEvent(EventView &event)
{
    if (!d || !d->connection->next_event(d->current))
        return false;
    event.type = toType(d->current.kind);
    event.data = std::string_view(reinterpret_cast<const char *>(d->current.data.data()),
                                  d->current.data.size());
    event.isLast = d->current.is_last;
    event.closeCode = d->current.close_code;
    return true;
}

bool RsWebSocketConnection::nextEvent(Event &event)
{
    EventView view;
    if (!nextEvent(view))
        return false;
    return d->guarded([&] {
        event.type = view.type;
        event.data.assign(view.data.data(), view.data.size());
        event.isLast = view.isLast;
        event.closeCode = view.closeCode;
        return true;
    });
}

std::optional<RsWebSocketConnection::Event> RsWebSocketConnection::nextEvent()
{
    Event event;
    if (!nextEvent(event))
        return std::nullopt;
    return event;
}

// ---- commands -------------------------------------------------------------------------------

bool RsWebSocketConnection::sendText(std::string_view text)
{
    return sendMessage(MessageType::Text, text.data(), text.size());
}

bool RsWebSocketConnection::sendBinary(const void *data, std::size_t size)
{
    return sendMessage(MessageType::Binary, data, size);
}

bool RsWebSocketConnection::sendBinary(std::string_view data)
{
    return sendMessage(MessageType::Binary, data.data(), data.size());
}

bool RsWebSocketConnection::sendMessage(MessageType type, const void *data, std::size_t size,
                                        bool compress)
{
    return d && d->guarded([&] {
        return d->connection->send_message(type == MessageType::Binary, bytes(data, size), compress);
    });
}

bool RsWebSocketConnection::sendMessageShared(MessageType type, const std::uint8_t *data,
                                              std::size_t size, void *context,
                                              void (*release)(void *context))
{
    if (!d || (!data && size > 0)) {
        if (release)
            release(context);
        return false;
    }
    bridge::SharedRelease how{};
    if (release) {
        how.call = reinterpret_cast<std::uintptr_t>(&rsws_release_shared);
        how.release = reinterpret_cast<std::uintptr_t>(release);
        how.context = reinterpret_cast<std::uintptr_t>(context);
    }
    // The bridge owns the release from here on (also when it refuses the message); no C++
    // exception can occur in between.
    return d->connection->send_message_shared(type == MessageType::Binary, data, size, how);
}

bool RsWebSocketConnection::beginMessage(MessageType type, const void *data, std::size_t size,
                                         bool compress)
{
    return d && d->guarded([&] {
        return d->connection->begin_message(type == MessageType::Binary, bytes(data, size), compress);
    });
}

bool RsWebSocketConnection::continueMessage(const void *data, std::size_t size)
{
    return d && d->guarded([&] { return d->connection->continue_message(bytes(data, size)); });
}

bool RsWebSocketConnection::finishMessage(const void *data, std::size_t size)
{
    return d && d->guarded([&] { return d->connection->finish_message(bytes(data, size)); });
}

bool RsWebSocketConnection::ping(std::string_view payload)
{
    return d && d->guarded([&] { return d->connection->ping(bytes(payload)); });
}

bool RsWebSocketConnection::pong(std::string_view payload)
{
    return d && d->guarded([&] { return d->connection->pong(bytes(payload)); });
}

bool RsWebSocketConnection::close(int code, std::string_view reason)
{
    return d && d->guarded([&] { return d->connection->close(code, bytes(reason)); });
}

void RsWebSocketConnection::fail(int code, std::string_view reason)
{
    if (d) {
        d->guarded([&] {
            d->connection->fail(code, bytes(reason));
            return true;
        });
    }
}

// ---- masking keys ---------------------------------------------------------------------------

void RsWebSocketConnection::queueMaskingKeys(const std::uint32_t *keys, std::size_t count)
{
    if (!d || !count || !keys)
        return;
    d->guarded([&] {
        d->connection->queue_masking_keys(rust::Slice<const std::uint32_t>(keys, count));
        return true;
    });
}

std::size_t RsWebSocketConnection::queuedMaskingKeys() const
{
    return d ? d->connection->queued_masking_keys() : 0;
}

// ---- outgoing bytes -------------------------------------------------------------------------

std::size_t RsWebSocketConnection::outgoingSize() const
{
    return d ? d->connection->outgoing_len() : 0;
}

std::size_t RsWebSocketConnection::outgoingChunkSize() const
{
    return d ? d->connection->outgoing().size() : 0;
}

std::size_t RsWebSocketConnection::outgoingSlices(OutgoingSlice *slices, std::size_t count) const
{
    if (!d || !slices || count == 0)
        return 0;
    std::array<bridge::OutgoingChunk, 16> chunks{};
    const std::size_t n = d->connection->outgoing_slices(
            rust::Slice<bridge::OutgoingChunk>(chunks.data(), std::min(count, chunks.size())));
    for (std::size_t i = 0; i < n; ++i) {
        slices[i].data = reinterpret_cast<const std::uint8_t *>(chunks[i].data);
        slices[i].size = chunks[i].len;
    }
    return n;
}

const std::uint8_t *RsWebSocketConnection::outgoingData() const
{
    return d ? d->connection->outgoing().data() : nullptr;
}

void RsWebSocketConnection::consumeOutgoing(std::size_t size)
{
    if (d)
        d->connection->consume_outgoing(size);
}

std::string RsWebSocketConnection::takeOutgoing()
{
    if (!d)
        return {};
    std::string out;
    d->guarded([&] {
        out.reserve(d->connection->outgoing_len());
        for (;;) {
            const auto pending = d->connection->outgoing();
            if (pending.empty())
                break;
            out.append(reinterpret_cast<const char *>(pending.data()), pending.size());
            d->connection->consume_outgoing(pending.size());
        }
        return true;
    });
    return out;
}

bool RsWebSocketConnection::shouldCloseTransport() const
{
    return !d || d->connection->should_close_transport();
}

// ---- clock ----------------------------------------------------------------------------------

std::optional<std::chrono::steady_clock::time_point> RsWebSocketConnection::nextTimeout() const
{
    if (!d)
        return std::nullopt;
    const std::int64_t ns = d->connection->next_timeout_ns();
    if (ns < 0)
        return std::nullopt;
    // A deadline past the end of the clock (after handleTimeout(time_point::max())) saturates
    // instead of wrapping around into the past.
    const auto after = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::nanoseconds(ns));
    if (after > std::chrono::steady_clock::time_point::max() - d->origin)
        return std::chrono::steady_clock::time_point::max();
    return d->origin + after;
}

void RsWebSocketConnection::handleTimeout(std::chrono::steady_clock::time_point now)
{
    if (!d)
        return;
    const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(now - d->origin).count();
    d->connection->handle_timeout_ns(since > 0 ? std::uint64_t(since) : 0);
}
