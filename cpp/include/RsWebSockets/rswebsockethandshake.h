// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETHANDSHAKE_H
#define RSWEBSOCKETHANDSHAKE_H

#include <RsWebSockets/rswebsockets_global.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The opening handshake (RFC 6455 §4) as plain C++ helpers, with no I/O and no Qt: the caller
// writes the bytes these helpers produce and feeds back the bytes it reads. Errors are values
// (no exception ever leaves these functions); their kinds follow libsoup's SoupWebsocketError.
//
// Client:  RsWebSocketHandshake::Client client(options);
//          write(client.request());
//          auto result = client.verify(bytesRead);        // Incomplete → read more, call again
//          if (result.status == Status::Complete)
//              RsWebSocketConnection conn(Role::Client, connOptions, std::move(result.negotiation));
//          // bytes after result.consumed are WebSocket frames: conn.receiveData(them)
//
// Server:  RsWebSocketHandshake::Server server(options);
//          auto request = server.check(bytesRead);        // Incomplete → read more, call again
//          auto response = request.status == Status::Complete ? server.accept() : server.reject();
//          write(response.response);
//          if (response.accepted)
//              RsWebSocketConnection conn(Role::Server, connOptions, std::move(response.negotiation));

// One negotiated extension, as the server's Sec-WebSocket-Extensions response listed it
// (libsoup's SoupWebsocketExtension name + params).
struct RSWEBSOCKETS_EXPORT RsWebSocketExtension
{
    struct Parameter
    {
        std::string name;
        std::optional<std::string> value; // no value: a bare flag such as server_no_context_takeover
    };

    std::string name; // e.g. "permessage-deflate"
    std::vector<Parameter> parameters;

    // The header form: "permessage-deflate; client_max_window_bits=10".
    std::string toString() const;
};

// permessage-deflate (RFC 7692) as an application supports it, before negotiation.
struct RsWebSocketDeflateOptions
{
    // Ask the server not to keep (server_…) / promise not to keep (client_…) the LZ77 window
    // between messages. A server accepting an offer honours the client's requests, and applies
    // these flags on top.
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    // 8..15. Unset: client offers client_max_window_bits without a value (the server may pick)
    // and does not restrict the server; server accepts what the client asks for.
    std::optional<int> serverMaxWindowBits;
    std::optional<int> clientMaxWindowBits;
    // Beyond the RFC (as Boost.Beast): zlib level 0..9, memory level 1..9, the largest window
    // this side compresses with (8..15; local, never negotiated); 0 / -1 keep the engine's
    // defaults (level 6, memory level 5, 12-bit window). Messages smaller than
    // compressionThreshold bytes go out uncompressed.
    int compressionLevel = -1;
    int memoryLevel = 0;
    int compressionWindowBits = 0;
    std::size_t compressionThreshold = 0;
    // Client only: with clientMaxWindowBits unset, offer client_max_window_bits without a value
    // (the server may then limit the client's window).
    bool offerClientMaxWindowBits = true;
    // Client only: after the configured offer, also offer a plain
    // "permessage-deflate; client_max_window_bits", for servers that decline the first one.
    bool fallbackOffer = false;
};

// The extensions a client offers or a server accepts (libsoup's supported_extensions).
// permessage-deflate is the one that exists; unset means not offered / not accepted.
struct RsWebSocketExtensionOptions
{
    std::optional<RsWebSocketDeflateOptions> deflate;
};

namespace RsWebSocketHandshake {

// libsoup's SoupWebsocketError, plus NoError.
enum class Error {
    NoError,
    Failed,       // anything else (bad URL, I/O-level limits, internal failure)
    NotWebSocket, // the peer does not speak WebSocket (not an Upgrade, not HTTP/1.1 GET / 101)
    BadHandshake, // a WebSocket handshake, but malformed or refused (key, accept, version, protocol, extensions)
    BadOrigin,    // the Origin is not allowed (server: 403 Forbidden)
};

enum class Status {
    Incomplete, // the head (up to CRLFCRLF) has not arrived yet: read more and call again
    Complete,   // the peer's head was read and accepted
    Failed,     // see error / errorString (and httpStatus)
};

using Header = std::pair<std::string, std::string>; // name as received, value trimmed

// RFC 6455 §4.2.2: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
RSWEBSOCKETS_EXPORT std::string acceptKey(std::string_view secWebSocketKey);
// A fresh Sec-WebSocket-Key: base64 of 16 random bytes from a CSPRNG.
RSWEBSOCKETS_EXPORT std::string generateKey();

class NegotiationPrivate;

// What the handshake agreed on, handed to RsWebSocketConnection's constructor. Move-only: it
// owns the configured extension instances (their state lives in the engine).
class RSWEBSOCKETS_EXPORT Negotiation
{
public:
    Negotiation(); // nothing negotiated: no protocol, no extension
    ~Negotiation();
    Negotiation(Negotiation &&other) noexcept;
    Negotiation &operator=(Negotiation &&other) noexcept;
    Negotiation(const Negotiation &) = delete;
    Negotiation &operator=(const Negotiation &) = delete;

    std::string protocol() const;                       // empty: none
    std::vector<RsWebSocketExtension> extensions() const; // in negotiation order

private:
    friend class NegotiationPrivate;
    std::unique_ptr<NegotiationPrivate> d;
};

// ---- client --------------------------------------------------------------------------------

struct ClientOptions
{
    std::string url;                        // ws:// or wss://host[:port]/path?query
    std::string origin;                     // empty: no Origin header
    std::vector<std::string> protocols;     // Sec-WebSocket-Protocol offer, preferred first
    std::vector<Header> headers;            // extra request headers (e.g. Authorization)
    RsWebSocketExtensionOptions extensions; // offered extensions
};

struct ClientResult
{
    Status status = Status::Incomplete;
    Error error = Error::NoError;
    std::string errorString;
    int httpStatus = 0;              // the response's status code once its status line was read
    std::size_t consumed = 0;        // bytes of the response head; later bytes are frames
    std::string protocol;            // chosen subprotocol (empty: none)
    std::vector<RsWebSocketExtension> extensions; // negotiated
    std::vector<Header> headers;     // all response headers
    Negotiation negotiation;         // Complete: hand to RsWebSocketConnection
};

class ClientPrivate;

// One client handshake: builds the request at construction, then verifies the response.
class RSWEBSOCKETS_EXPORT Client
{
public:
    explicit Client(const ClientOptions &options);
    ~Client();
    Client(Client &&other) noexcept;
    Client &operator=(Client &&other) noexcept;
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    bool isValid() const; // false: the options were unusable (see error(), errorString())
    Error error() const;
    std::string errorString() const;

    const std::string &request() const; // the request bytes to write
    std::string key() const;            // the Sec-WebSocket-Key sent
    std::string host() const;           // Host header value
    std::string resourceName() const;   // path + query as sent
    bool isSecure() const;              // wss://

    // Feed everything read so far (the whole buffer each time, not just the new bytes).
    ClientResult verify(const void *data, std::size_t size);
    ClientResult verify(std::string_view response);

private:
    std::unique_ptr<ClientPrivate> d;
};

// ---- server --------------------------------------------------------------------------------

struct ServerOptions
{
    // Empty: any Origin (or none) is allowed. Otherwise only these (ASCII case-insensitive),
    // and a request without Origin is refused too (403, BadOrigin). For any other policy, leave
    // it empty, look at ServerRequest::origin after check() and call reject(403).
    std::vector<std::string> allowedOrigins;
    std::vector<std::string> protocols;        // supported, preferred first (the server's order decides)
    std::vector<Header> headers;               // extra response headers (e.g. Server)
    RsWebSocketExtensionOptions extensions;    // accepted extensions
};

struct ServerRequest
{
    Status status = Status::Incomplete;
    Error error = Error::NoError;
    std::string errorString;
    int httpStatus = 0;                     // Failed: the status to answer (400, 403, 426, ...)
    std::size_t consumed = 0;               // bytes of the request head; later bytes are frames
    std::string resourceName;               // request target (path + query)
    std::string host;
    std::string origin;                     // empty: no Origin header
    std::string key;                        // Sec-WebSocket-Key
    int version = -1;                       // Sec-WebSocket-Version (-1: missing/invalid)
    std::vector<std::string> protocols;     // requested subprotocols, in the client's order
    std::vector<std::string> extensionOffers; // Sec-WebSocket-Extensions entries, as sent
    std::vector<Header> headers;            // all request headers
};

struct ServerResponse
{
    bool accepted = false;
    Error error = Error::NoError;
    std::string errorString;
    int httpStatus = 0;              // 101 or the rejection status
    std::string response;            // the bytes to write (101 response or rejection)
    std::string protocol;            // chosen subprotocol (empty: none)
    std::vector<RsWebSocketExtension> extensions; // negotiated
    Negotiation negotiation;         // accepted: hand to RsWebSocketConnection
};

class ServerPrivate;

// One server handshake: check the request, then accept it or reject it.
class RSWEBSOCKETS_EXPORT Server
{
public:
    explicit Server(const ServerOptions &options);
    ~Server();
    Server(Server &&other) noexcept;
    Server &operator=(Server &&other) noexcept;
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Feed everything read so far (the whole buffer each time, not just the new bytes).
    ServerRequest check(const void *data, std::size_t size);
    ServerRequest check(std::string_view request);

    // After a Complete check: 101 with the chosen protocol and extensions. Without a Complete
    // check, a Failed response (nothing to accept).
    ServerResponse accept();
    // Rejects with httpStatus (0: the status the failed check gave, 400 if none) and a short
    // text body. 426 responses carry Sec-WebSocket-Version: 13.
    ServerResponse reject(int httpStatus = 0, std::string_view reason = {});

private:
    std::unique_ptr<ServerPrivate> d;
};

} // namespace RsWebSocketHandshake

#endif // RSWEBSOCKETHANDSHAKE_H
