// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsockethandshake_p.h"

#include <exception>
#include <utility>

namespace bridge = rswebsockets::bridge;

// ---- helpers shared with rswebsocketconnection.cpp -----------------------------------------

std::vector<RsWebSocketExtension>
RsWebSocketBridge::toExtensions(const rust::Vec<bridge::ExtensionInfo> &infos)
{
    std::vector<RsWebSocketExtension> out;
    out.reserve(infos.size());
    for (const auto &info : infos) {
        RsWebSocketExtension e;
        e.name = toStd(info.name);
        for (const auto &p : info.params)
            e.parameters.push_back({toStd(p.name), p.has_value ? std::optional<std::string>(toStd(p.value))
                                                               : std::nullopt});
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

using namespace RsWebSocketBridge;
using namespace RsWebSocketHandshake;

Error toError(bridge::ErrorKind kind)
{
    switch (kind) {
    case bridge::ErrorKind::NoError:
        return Error::NoError;
    case bridge::ErrorKind::NotWebSocket:
        return Error::NotWebSocket;
    case bridge::ErrorKind::BadHandshake:
        return Error::BadHandshake;
    case bridge::ErrorKind::BadOrigin:
        return Error::BadOrigin;
    case bridge::ErrorKind::Failed:
    default:
        return Error::Failed;
    }
}

Status toStatus(bridge::Progress progress)
{
    switch (progress) {
    case bridge::Progress::Incomplete:
        return Status::Incomplete;
    case bridge::Progress::Complete:
        return Status::Complete;
    case bridge::Progress::Failed:
    default:
        return Status::Failed;
    }
}

rust::Vec<rust::String> toRustList(const std::vector<std::string> &list)
{
    rust::Vec<rust::String> out;
    out.reserve(list.size());
    for (const auto &s : list)
        out.push_back(toRust(s));
    return out;
}

rust::Vec<bridge::HeaderPair> toRustHeaders(const std::vector<Header> &headers)
{
    rust::Vec<bridge::HeaderPair> out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers)
        out.push_back(bridge::HeaderPair{toRust(name), toRust(value)});
    return out;
}

std::vector<Header> toHeaders(const rust::Vec<bridge::HeaderPair> &headers)
{
    std::vector<Header> out;
    out.reserve(headers.size());
    for (const auto &h : headers)
        out.emplace_back(toStd(h.name), toStd(h.value));
    return out;
}

std::vector<std::string> toStrings(const rust::Vec<rust::String> &list)
{
    std::vector<std::string> out;
    out.reserve(list.size());
    for (const auto &s : list)
        out.push_back(toStd(s));
    return out;
}

bridge::DeflateSettings toDeflate(const RsWebSocketExtensionOptions &options)
{
    bridge::DeflateSettings s{};
    s.enabled = options.deflate.has_value();
    const RsWebSocketDeflateOptions d = options.deflate.value_or(RsWebSocketDeflateOptions{});
    s.server_no_context_takeover = d.serverNoContextTakeover;
    s.client_no_context_takeover = d.clientNoContextTakeover;
    // 0 means unset on the bridge; an explicit 0 (or any value outside 8..15) stays invalid.
    s.server_max_window_bits = d.serverMaxWindowBits ? (*d.serverMaxWindowBits ? *d.serverMaxWindowBits : -1) : 0;
    s.client_max_window_bits = d.clientMaxWindowBits ? (*d.clientMaxWindowBits ? *d.clientMaxWindowBits : -1) : 0;
    s.compression_level = d.compressionLevel;
    s.memory_level = d.memoryLevel;
    s.compression_window_bits = d.compressionWindowBits;
    s.threshold = d.compressionThreshold;
    s.offer_client_max_window_bits = d.offerClientMaxWindowBits;
    s.fallback_offer = d.fallbackOffer;
    return s;
}

template<typename Result>
Result failure(const char *what)
{
    Result r;
    r.status = Status::Failed;
    r.error = Error::Failed;
    r.errorString = what;
    return r;
}

} // namespace

std::string RsWebSocketExtension::toString() const
{
    std::string out = name;
    for (const auto &p : parameters) {
        out += "; ";
        out += p.name;
        if (p.value) {
            out += '=';
            out += *p.value;
        }
    }
    return out;
}

std::string RsWebSocketHandshake::acceptKey(std::string_view secWebSocketKey)
{
    try {
        return toStd(bridge::accept_key(bytes(secWebSocketKey)));
    } catch (const std::exception &) {
        return {};
    }
}

std::string RsWebSocketHandshake::generateKey()
{
    try {
        return toStd(bridge::generate_key());
    } catch (const std::exception &) {
        return {};
    }
}

// ---- Negotiation ----------------------------------------------------------------------------

RsWebSocketHandshake::NegotiationPrivate::NegotiationPrivate(rust::Box<bridge::Negotiated> &&n)
    : negotiated(std::move(n)),
      protocol(toStd(negotiated->protocol())),
      extensions(toExtensions(negotiated->extensions()))
{
}

Negotiation RsWebSocketHandshake::NegotiationPrivate::create(rust::Box<bridge::Negotiated> &&n)
{
    Negotiation result;
    result.d = std::make_unique<NegotiationPrivate>(std::move(n));
    return result;
}

bridge::Negotiated *RsWebSocketHandshake::NegotiationPrivate::get(Negotiation &negotiation)
{
    return negotiation.d ? &*negotiation.d->negotiated : nullptr;
}

const RsWebSocketHandshake::NegotiationPrivate *
RsWebSocketHandshake::NegotiationPrivate::of(const Negotiation &negotiation)
{
    return negotiation.d.get();
}

Negotiation::Negotiation() = default;
Negotiation::~Negotiation() = default;
Negotiation::Negotiation(Negotiation &&other) noexcept = default;
Negotiation &Negotiation::operator=(Negotiation &&other) noexcept = default;

std::string Negotiation::protocol() const
{
    return d ? d->protocol : std::string();
}

std::vector<RsWebSocketExtension> Negotiation::extensions() const
{
    return d ? d->extensions : std::vector<RsWebSocketExtension>();
}

// ---- Client ---------------------------------------------------------------------------------

RsWebSocketHandshake::ClientPrivate::ClientPrivate(rust::Box<bridge::Client> &&c)
    : client(std::move(c))
{
    const auto r = client->request();
    request.assign(reinterpret_cast<const char *>(r.data()), r.size());
}

Client::Client(const ClientOptions &options)
{
    try {
        bridge::ClientSettings s{toRust(options.url), toRust(options.origin),
                                 toRustList(options.protocols), toRustHeaders(options.headers),
                                 toDeflate(options.extensions)};
        d = std::make_unique<ClientPrivate>(bridge::client_new(s));
    } catch (const std::exception &) {
        d.reset(); // isValid() is false, error() Failed
    }
}

Client::~Client() = default;
Client::Client(Client &&other) noexcept = default;
Client &Client::operator=(Client &&other) noexcept = default;

bool Client::isValid() const
{
    return d && d->client->is_valid();
}

Error Client::error() const
{
    return d ? toError(d->client->error_kind()) : Error::Failed;
}

std::string Client::errorString() const
{
    return d ? toStd(d->client->error_string()) : std::string("client handshake unavailable");
}

const std::string &Client::request() const
{
    static const std::string none;
    return d ? d->request : none;
}

std::string Client::key() const
{
    return d ? toStd(d->client->key()) : std::string();
}

std::string Client::host() const
{
    return d ? toStd(d->client->host()) : std::string();
}

std::string Client::resourceName() const
{
    return d ? toStd(d->client->resource()) : std::string();
}

bool Client::isSecure() const
{
    return d && d->client->secure();
}

ClientResult Client::verify(const void *data, std::size_t size)
{
    if (!d)
        return failure<ClientResult>("client handshake unavailable");
    try {
        const bridge::ClientVerification v = d->client->verify(bytes(data, size));
        ClientResult r;
        r.status = toStatus(v.status);
        r.error = toError(v.error);
        r.errorString = toStd(v.error_string);
        r.httpStatus = v.http_status;
        r.consumed = v.consumed;
        r.protocol = toStd(v.protocol);
        r.extensions = toExtensions(v.extensions);
        r.headers = toHeaders(v.headers);
        if (r.status == Status::Complete)
            r.negotiation = NegotiationPrivate::create(d->client->take_negotiated());
        return r;
    } catch (const std::exception &e) {
        return failure<ClientResult>(e.what());
    }
}

ClientResult Client::verify(std::string_view response)
{
    return verify(response.data(), response.size());
}

// ---- Server ---------------------------------------------------------------------------------

RsWebSocketHandshake::ServerPrivate::ServerPrivate(rust::Box<bridge::Server> &&s)
    : server(std::move(s))
{
}

Server::Server(const ServerOptions &options)
{
    try {
        bridge::ServerSettings s{toRustList(options.allowedOrigins), toRustList(options.protocols),
                                 toRustHeaders(options.headers), toDeflate(options.extensions)};
        d = std::make_unique<ServerPrivate>(bridge::server_new(s));
    } catch (const std::exception &) {
        d.reset(); // every call then fails with Error::Failed
    }
}

Server::~Server() = default;
Server::Server(Server &&other) noexcept = default;
Server &Server::operator=(Server &&other) noexcept = default;

ServerRequest Server::check(const void *data, std::size_t size)
{
    if (!d)
        return failure<ServerRequest>("server handshake unavailable");
    try {
        const bridge::ServerCheck c = d->server->check(bytes(data, size));
        ServerRequest r;
        r.status = toStatus(c.status);
        r.error = toError(c.error);
        r.errorString = toStd(c.error_string);
        r.httpStatus = c.http_status;
        r.consumed = c.consumed;
        r.resourceName = toStd(c.resource);
        r.host = toStd(c.host);
        r.origin = toStd(c.origin);
        r.key = toStd(c.key);
        r.version = c.version;
        r.protocols = toStrings(c.protocols);
        r.extensionOffers = toStrings(c.extension_offers);
        r.headers = toHeaders(c.headers);
        return r;
    } catch (const std::exception &e) {
        return failure<ServerRequest>(e.what());
    }
}

ServerRequest Server::check(std::string_view request)
{
    return check(request.data(), request.size());
}

namespace {

ServerResponse toResponse(const bridge::ServerReply &reply)
{
    ServerResponse r;
    r.accepted = reply.accepted;
    r.error = toError(reply.error);
    r.errorString = toStd(reply.error_string);
    r.httpStatus = reply.http_status;
    r.response.assign(reinterpret_cast<const char *>(reply.response.data()), reply.response.size());
    r.protocol = toStd(reply.protocol);
    r.extensions = toExtensions(reply.extensions);
    return r;
}

ServerResponse responseFailure(const char *what)
{
    ServerResponse r;
    r.error = Error::Failed;
    r.errorString = what;
    return r;
}

} // namespace

ServerResponse Server::accept()
{
    if (!d)
        return responseFailure("server handshake unavailable");
    try {
        ServerResponse r = toResponse(d->server->accept());
        if (r.accepted)
            r.negotiation = NegotiationPrivate::create(d->server->take_negotiated());
        return r;
    } catch (const std::exception &e) {
        return responseFailure(e.what());
    }
}

ServerResponse Server::reject(int httpStatus, std::string_view reason)
{
    if (!d)
        return responseFailure("server handshake unavailable");
    try {
        return toResponse(d->server->reject(httpStatus, bytes(reason)));
    } catch (const std::exception &e) {
        return responseFailure(e.what());
    }
}
