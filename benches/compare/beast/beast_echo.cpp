// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// A Boost.Beast WebSocket echo server for the deflate echo comparison
// (benches/compare-deflate.sh): one thread running one io_context, one session per connection
// that reads a message and writes it back with the same type, permessage-deflate accepted
// (permessage_deflate::server_enable = true, every other setting at Beast's default).
//
//   beast_echo --port N [--host 127.0.0.1] [--no-deflate]
//
// Built against Debian's Boost (libboost-dev, Beast is header-only since Boost 1.70):
//   g++ -std=c++17 -O2 -DNDEBUG beast_echo.cpp -o beast_echo -pthread

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

bool g_deflate = true;

class Session : public std::enable_shared_from_this<Session>
{
public:
    explicit Session(tcp::socket socket) : m_ws(std::move(socket)) { }

    void start()
    {
        beast::error_code ec;
        m_ws.next_layer().set_option(tcp::no_delay(true), ec);
        if (g_deflate) {
            websocket::permessage_deflate pmd;
            pmd.server_enable = true;
            m_ws.set_option(pmd);
        }
        m_ws.read_message_max(64u << 20);
        m_ws.async_accept(
                [self = shared_from_this()](beast::error_code ec) { self->onAccept(ec); });
    }

private:
    void onAccept(beast::error_code ec)
    {
        if (!ec)
            read();
    }

    void read()
    {
        m_ws.async_read(m_buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->onRead(ec);
        });
    }

    void onRead(beast::error_code ec)
    {
        if (ec)
            return; // closed (websocket::error::closed) or failed: the session ends
        m_ws.text(m_ws.got_text());
        m_ws.async_write(m_buffer.data(),
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             self->onWrite(ec);
                         });
    }

    void onWrite(beast::error_code ec)
    {
        if (ec)
            return;
        m_buffer.consume(m_buffer.size());
        read();
    }

    websocket::stream<tcp::socket> m_ws;
    beast::flat_buffer m_buffer;
};

class Listener : public std::enable_shared_from_this<Listener>
{
public:
    Listener(net::io_context &ioc, const tcp::endpoint &endpoint) : m_ioc(ioc), m_acceptor(ioc)
    {
        m_acceptor.open(endpoint.protocol());
        m_acceptor.set_option(net::socket_base::reuse_address(true));
        m_acceptor.bind(endpoint);
        m_acceptor.listen(net::socket_base::max_listen_connections);
    }

    void accept()
    {
        m_acceptor.async_accept(m_ioc, [self = shared_from_this()](beast::error_code ec,
                                                                  tcp::socket socket) {
            if (!ec)
                std::make_shared<Session>(std::move(socket))->start();
            self->accept();
        });
    }

private:
    net::io_context &m_ioc;
    tcp::acceptor m_acceptor;
};

[[noreturn]] void usage()
{
    std::fprintf(stderr, "usage: beast_echo --port N [--host ADDR] [--no-deflate]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    std::string host = "127.0.0.1";
    int port = -1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--host") == 0 && i + 1 < argc)
            host = argv[++i];
        else if (std::strcmp(argv[i], "--no-deflate") == 0)
            g_deflate = false;
        else
            usage();
    }
    if (port < 0 || port > 65535)
        usage();
    try {
        net::io_context ioc(1);
        auto endpoint = tcp::endpoint(net::ip::make_address(host), static_cast<unsigned short>(port));
        std::make_shared<Listener>(ioc, endpoint)->accept();
        std::fprintf(stderr, "beast_echo listening on ws://%s:%d%s\n", host.c_str(), port,
                     g_deflate ? " (permessage-deflate)" : "");
        ioc.run();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "beast_echo: %s\n", e.what());
        return 1;
    }
    return 0;
}
