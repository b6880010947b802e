// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// Interoperability with Qt's own QtWebSockets, in both directions and in one process:
// QWebSocket against RsWebSocketServer, and RsWebSocket against QWebSocketServer. Text,
// binary, ping/pong and the close handshake started from either side.

#include <RsWebSockets/RsWebSocket>
#include <RsWebSockets/RsWebSocketServer>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

namespace {

QString textOfSize(int size)
{
    // Mixed one-, two- and three-byte UTF-8 characters.
    const QString pattern = QStringLiteral("abc\u00e9\u20ac xyz ");
    QString text;
    text.reserve(size);
    while (text.size() < size)
        text += pattern;
    text.truncate(size);
    return text;
}

QByteArray binaryOfSize(int size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = char((i * 31 + 7) & 0xff);
    return data;
}

} // namespace

class tst_Interop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void qtClientToRsServer_data();
    void qtClientToRsServer();
    void qtClientToRsServerPing();
    void qtClientToRsServerClose_data();
    void qtClientToRsServerClose();

    void rsClientToQtServer_data();
    void rsClientToQtServer();
    void rsClientToQtServerPing();
    void rsClientToQtServerClose_data();
    void rsClientToQtServerClose();

private:
    void addMessageRows();
    void addCloseRows();
};

void tst_Interop::addMessageRows()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("binary");

    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("small") << QStringLiteral("Hello, Qt") << QByteArray("\x00\x01\x02\xff", 4);
    QTest::newRow("unicode") << QStringLiteral("\u00e9t\u00e9 \u20ac \U0001F600") << binaryOfSize(125);
    QTest::newRow("126 bytes") << textOfSize(126) << binaryOfSize(126);
    QTest::newRow("64 KiB") << textOfSize(65536) << binaryOfSize(65536);
    QTest::newRow("1 MiB") << textOfSize(1 << 20) << binaryOfSize(1 << 20);
}

void tst_Interop::addCloseRows()
{
    QTest::addColumn<bool>("clientCloses");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");

    QTest::newRow("client, normal") << true << 1000 << QString();
    QTest::newRow("client, going away, reason") << true << 1001 << QStringLiteral("bye \u00e9");
    QTest::newRow("server, normal") << false << 1000 << QStringLiteral("done");
    QTest::newRow("server, policy") << false << 1008 << QStringLiteral("not allowed");
    QTest::newRow("server, application code") << false << 4000 << QStringLiteral("app");
}

// ---- QWebSocket (Qt) -> RsWebSocketServer ----------------------------------------------------

namespace {

// An echo server built on RsWebSocketServer, like the echoserver example.
class RsEchoServer
{
public:
    RsEchoServer() : server(QStringLiteral("RsEcho"), RsWebSocketServer::NonSecureMode)
    {
        QObject::connect(&server, &RsWebSocketServer::newConnection, &server, [this] {
            while (RsWebSocket *socket = server.nextPendingConnection()) {
                sockets.emplace_back(socket);
                QObject::connect(socket, &RsWebSocket::textMessageReceived, socket,
                                 &RsWebSocket::sendTextMessage);
                QObject::connect(socket, &RsWebSocket::binaryMessageReceived, socket,
                                 &RsWebSocket::sendBinaryMessage);
            }
        });
    }

    QUrl url() const
    {
        QUrl u(QStringLiteral("ws://127.0.0.1/"));
        u.setPort(server.serverPort());
        return u;
    }

    RsWebSocketServer server;
    std::vector<std::unique_ptr<RsWebSocket>> sockets;
};

} // namespace

void tst_Interop::qtClientToRsServer_data()
{
    addMessageRows();
}

void tst_Interop::qtClientToRsServer()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, binary);

    RsEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));

    QWebSocket client;
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy textReceived(&client, &QWebSocket::textMessageReceived);
    QSignalSpy binaryReceived(&client, &QWebSocket::binaryMessageReceived);
    QSignalSpy errors(&client, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
    client.open(echo.url());
    QTRY_COMPARE(connected.size(), 1);

    client.sendTextMessage(text);
    client.sendBinaryMessage(binary);
    QTRY_COMPARE_WITH_TIMEOUT(textReceived.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(binaryReceived.size(), 1, 10000);
    QCOMPARE(textReceived.at(0).at(0).toString(), text);
    QCOMPARE(binaryReceived.at(0).at(0).toByteArray(), binary);
    QCOMPARE(errors.size(), 0);
}

void tst_Interop::qtClientToRsServerPing()
{
    RsEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));
    QWebSocket client;
    QSignalSpy clientPong(&client, &QWebSocket::pong);
    client.open(echo.url());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(echo.sockets.size(), size_t(1));
    RsWebSocket *accepted = echo.sockets.front().get();
    QSignalSpy serverPong(accepted, &RsWebSocket::pong);

    // Qt client pings, RsWebSocket answers.
    client.ping(QByteArrayLiteral("from Qt"));
    QTRY_COMPARE(clientPong.size(), 1);
    QCOMPARE(clientPong.at(0).at(1).toByteArray(), QByteArrayLiteral("from Qt"));

    // RsWebSocket pings, Qt answers.
    accepted->ping(QByteArrayLiteral("from Rs"));
    QTRY_COMPARE(serverPong.size(), 1);
    QCOMPARE(serverPong.at(0).at(1).toByteArray(), QByteArrayLiteral("from Rs"));
}

void tst_Interop::qtClientToRsServerClose_data()
{
    addCloseRows();
}

void tst_Interop::qtClientToRsServerClose()
{
    QFETCH(bool, clientCloses);
    QFETCH(int, code);
    QFETCH(QString, reason);

    RsEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));
    QWebSocket client;
    QSignalSpy clientDisconnected(&client, &QWebSocket::disconnected);
    client.open(echo.url());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(echo.sockets.size(), size_t(1));
    RsWebSocket *accepted = echo.sockets.front().get();
    QSignalSpy serverDisconnected(accepted, &RsWebSocket::disconnected);
    QSignalSpy serverAboutToClose(accepted, &RsWebSocket::aboutToClose);

    if (clientCloses)
        client.close(QWebSocketProtocol::CloseCode(code), reason);
    else
        accepted->close(RsWebSocketProtocol::CloseCode(code), reason);

    QTRY_COMPARE(clientDisconnected.size(), 1);
    QTRY_COMPARE(serverDisconnected.size(), 1);
    QCOMPARE(serverAboutToClose.size(), 1);
    QCOMPARE(int(accepted->state()), int(QAbstractSocket::UnconnectedState));
    if (clientCloses) {
        QCOMPARE(int(accepted->closeCode()), code);
        QCOMPARE(accepted->closeReason(), reason);
    } else {
        QCOMPARE(int(client.closeCode()), code);
        QCOMPARE(client.closeReason(), reason);
    }
}

// ---- RsWebSocket -> QWebSocketServer (Qt) ----------------------------------------------------

namespace {

class QtEchoServer
{
public:
    QtEchoServer() : server(QStringLiteral("QtEcho"), QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                sockets.emplace_back(socket);
                socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 &QWebSocket::sendTextMessage);
                QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                                 &QWebSocket::sendBinaryMessage);
            }
        });
    }

    QUrl url() const
    {
        QUrl u(QStringLiteral("ws://127.0.0.1/"));
        u.setPort(server.serverPort());
        return u;
    }

    QWebSocketServer server;
    std::vector<std::unique_ptr<QWebSocket>> sockets;
};

} // namespace

void tst_Interop::rsClientToQtServer_data()
{
    addMessageRows();
}

void tst_Interop::rsClientToQtServer()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, binary);

    QtEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));

    RsWebSocket client;
    QSignalSpy connected(&client, &RsWebSocket::connected);
    QSignalSpy textReceived(&client, &RsWebSocket::textMessageReceived);
    QSignalSpy binaryReceived(&client, &RsWebSocket::binaryMessageReceived);
    QSignalSpy errors(&client, &RsWebSocket::errorOccurred);
    client.open(echo.url());
    QTRY_COMPARE(connected.size(), 1);

    client.sendTextMessage(text);
    client.sendBinaryMessage(binary);
    QTRY_COMPARE_WITH_TIMEOUT(textReceived.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(binaryReceived.size(), 1, 10000);
    QCOMPARE(textReceived.at(0).at(0).toString(), text);
    QCOMPARE(binaryReceived.at(0).at(0).toByteArray(), binary);
    QCOMPARE(errors.size(), 0);
}

void tst_Interop::rsClientToQtServerPing()
{
    QtEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));
    RsWebSocket client;
    QSignalSpy clientPong(&client, &RsWebSocket::pong);
    client.open(echo.url());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(echo.sockets.size(), size_t(1));
    QWebSocket *accepted = echo.sockets.front().get();
    QSignalSpy serverPong(accepted, &QWebSocket::pong);

    client.ping(QByteArrayLiteral("from Rs"));
    QTRY_COMPARE(clientPong.size(), 1);
    QCOMPARE(clientPong.at(0).at(1).toByteArray(), QByteArrayLiteral("from Rs"));

    accepted->ping(QByteArrayLiteral("from Qt"));
    QTRY_COMPARE(serverPong.size(), 1);
    QCOMPARE(serverPong.at(0).at(1).toByteArray(), QByteArrayLiteral("from Qt"));
}

void tst_Interop::rsClientToQtServerClose_data()
{
    addCloseRows();
}

void tst_Interop::rsClientToQtServerClose()
{
    QFETCH(bool, clientCloses);
    QFETCH(int, code);
    QFETCH(QString, reason);

    QtEchoServer echo;
    QVERIFY(echo.server.listen(QHostAddress::LocalHost));
    RsWebSocket client;
    QSignalSpy clientDisconnected(&client, &RsWebSocket::disconnected);
    QSignalSpy clientAboutToClose(&client, &RsWebSocket::aboutToClose);
    client.open(echo.url());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(echo.sockets.size(), size_t(1));
    QWebSocket *accepted = echo.sockets.front().get();
    QSignalSpy serverDisconnected(accepted, &QWebSocket::disconnected);

    if (clientCloses)
        client.close(RsWebSocketProtocol::CloseCode(code), reason);
    else
        accepted->close(QWebSocketProtocol::CloseCode(code), reason);

    QTRY_COMPARE(clientDisconnected.size(), 1);
    QTRY_COMPARE(serverDisconnected.size(), 1);
    QCOMPARE(clientAboutToClose.size(), 1);
    QCOMPARE(int(client.state()), int(QAbstractSocket::UnconnectedState));
    if (clientCloses) {
        QCOMPARE(int(accepted->closeCode()), code);
        QCOMPARE(accepted->closeReason(), reason);
    } else {
        QCOMPARE(int(client.closeCode()), code);
        QCOMPARE(client.closeReason(), reason);
    }
}

QTEST_MAIN(tst_Interop)

#include "tst_interop.moc"
