// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketServer in SecureMode (wss): certificates made at test time with the openssl tool,
// client certificates, pre-shared keys, and the TLS signals.

#include "tst_rswebsocketserver.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>

using namespace ServerTest;
using namespace std::chrono_literals;

namespace {

#ifndef QT_NO_SSL
// A self-signed certificate for 127.0.0.1, made at test time with the openssl tool.
struct TestCertificate
{
    QSslCertificate certificate;
    QSslKey key;
    QString error;
};

TestCertificate makeCertificate(const QTemporaryDir &dir)
{
    TestCertificate result;
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    keyPath, QStringLiteral("-out"), certPath, QStringLiteral("-days"),
                    QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                    QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") });
    if (!openssl.waitForStarted(5000) || !openssl.waitForFinished(30000)
        || openssl.exitCode() != 0) {
        result.error = QStringLiteral("openssl could not make a certificate: ")
                + QString::fromLocal8Bit(openssl.readAllStandardError());
        return result;
    }
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read the generated certificate");
        return result;
    }
    result.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    result.key = QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
    if (result.certificate.isNull() || result.key.isNull())
        result.error = QStringLiteral("the generated certificate does not load");
    return result;
}
#endif

} // namespace

void tst_RsWebSocketServer::secureConnection_data()
{
    QTest::addColumn<bool>("qtClient");
    QTest::newRow("QWebSocket") << true;
    QTest::newRow("RsWebSocket") << false;
}

void tst_RsWebSocketServer::secureConnection()
{
#ifdef QT_NO_SSL
    QSKIP("built without TLS");
#else
    QFETCH(bool, qtClient);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const TestCertificate cert = makeCertificate(dir);
    if (!cert.error.isEmpty())
        QSKIP(qPrintable(cert.error));

    RsWebSocketServer server(QStringLiteral("Secure"), RsWebSocketServer::SecureMode);
    ServerSpies spies(&server);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(cert.certificate);
    config.setPrivateKey(cert.key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.setSslConfiguration(config);
    QCOMPARE(server.sslConfiguration().localCertificate(), cert.certificate);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QCOMPARE(server.serverUrl().scheme(), QStringLiteral("wss"));

    std::unique_ptr<RsWebSocket> accepted;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        connect(accepted.get(), &RsWebSocket::textMessageReceived, accepted.get(),
                &RsWebSocket::sendTextMessage);
    });

    // The client trusts the test certificate as its only CA.
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({ cert.certificate });
    const QString message = QStringLiteral("over TLS");
    if (qtClient) {
        QWebSocket client;
        client.setSslConfiguration(clientConfig);
        QSignalSpy text(&client, &QWebSocket::textMessageReceived);
        QSignalSpy clientSslErrors(&client, &QWebSocket::sslErrors);
        client.open(server.serverUrl());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        client.sendTextMessage(message);
        QTRY_COMPARE(text.size(), 1);
        QCOMPARE(text.at(0).at(0).toString(), message);
        QCOMPARE(clientSslErrors.size(), 0);
    } else {
        RsWebSocket client;
        client.setSslConfiguration(clientConfig);
        QSignalSpy text(&client, &RsWebSocket::textMessageReceived);
        QSignalSpy clientSslErrors(&client, &RsWebSocket::sslErrors);
        client.open(server.serverUrl());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        client.sendTextMessage(message);
        QTRY_COMPARE(text.size(), 1);
        QCOMPARE(text.at(0).at(0).toString(), message);
        QCOMPARE(clientSslErrors.size(), 0);
    }
    QVERIFY(accepted);
    QCOMPARE(accepted->requestUrl().scheme(), QStringLiteral("wss"));
    QCOMPARE(accepted->sslConfiguration().localCertificate(), cert.certificate);
    QCOMPARE(spies.newConnection.size(), 1);
    QCOMPARE(spies.serverError.size(), 0);
    QCOMPARE(spies.sslErrors.size(), 0);
    QCOMPARE(spies.peerVerifyError.size(), 0);
    QCOMPARE(spies.acceptError.size(), 0);
#endif
}

void tst_RsWebSocketServer::secureClientCertificateRequired_data()
{
    QTest::addColumn<bool>("qtClient");
    QTest::newRow("QWebSocket") << true;
    QTest::newRow("RsWebSocket") << false;
}

void tst_RsWebSocketServer::secureClientCertificateRequired()
{
#ifdef QT_NO_SSL
    QSKIP("built without TLS");
#else
    QFETCH(bool, qtClient);
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const TestCertificate cert = makeCertificate(dir);
    if (!cert.error.isEmpty())
        QSKIP(qPrintable(cert.error));

    // The server insists on a client certificate; the client has none.
    RsWebSocketServer server(QStringLiteral("Secure"), RsWebSocketServer::SecureMode);
    ServerSpies spies(&server);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(cert.certificate);
    config.setPrivateKey(cert.key);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    server.setSslConfiguration(config);
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates({ cert.certificate });
    std::unique_ptr<QObject> client;
    std::unique_ptr<QSignalSpy> clientConnected;
    if (qtClient) {
        auto *socket = new QWebSocket;
        client.reset(socket);
        socket->setSslConfiguration(clientConfig);
        clientConnected = std::make_unique<QSignalSpy>(socket, &QWebSocket::connected);
        socket->open(server.serverUrl());
    } else {
        auto *socket = new RsWebSocket;
        client.reset(socket);
        socket->setSslConfiguration(clientConfig);
        clientConnected = std::make_unique<QSignalSpy>(socket, &RsWebSocket::connected);
        socket->open(server.serverUrl());
    }

    QTRY_COMPARE(spies.sslErrors.size(), 1);
    const auto errors = spies.sslErrors.at(0).at(0).value<QList<QSslError>>();
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().error(), QSslError::NoPeerCertificate);
    QCOMPARE(spies.peerVerifyError.size(), 1);
    QCOMPARE(spies.peerVerifyError.at(0).at(0).value<QSslError>().error(),
             QSslError::NoPeerCertificate);
    // The server ends the TLS session with an alert (close notify with OpenSSL).
    QTRY_VERIFY(spies.alertSent.size() >= 1);
    QTest::qWait(100);
    QCOMPARE(clientConnected->size(), 0);
    QCOMPARE(spies.newConnection.size(), 0);
    QCOMPARE(spies.handshakeInterruptedOnError.size(), 0);
    QCOMPARE(spies.preSharedKeyAuthenticationRequired.size(), 0);
    QCOMPARE(spies.acceptError.size(), 0);
    QVERIFY(!server.hasPendingConnections());
#endif
}

void tst_RsWebSocketServer::securePreSharedKey()
{
#ifdef QT_NO_SSL
    QSKIP("built without TLS");
#else
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const QSslCipher cipher(QStringLiteral("PSK-AES128-CBC-SHA256"));
    if (cipher.isNull())
        QSKIP("the TLS backend offers no PSK cipher");
    const QByteArray key = QByteArray::fromHex("0123456789abcdef0123456789abcdef");

    // TLS with a pre-shared key instead of certificates: the application supplies the key
    // through preSharedKeyAuthenticationRequired().
    RsWebSocketServer server(QStringLiteral("PSK"), RsWebSocketServer::SecureMode);
    ServerSpies spies(&server);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2);
    config.setCiphers({ cipher });
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.setSslConfiguration(config);
    QByteArray identitySeen;
    connect(&server, &RsWebSocketServer::preSharedKeyAuthenticationRequired, this,
            [&](QSslPreSharedKeyAuthenticator *authenticator) {
                identitySeen = authenticator->identity();
                authenticator->setPreSharedKey(key);
            });
    QVERIFY(server.listen(QHostAddress::LocalHost));

    QWebSocket client;
    QSslConfiguration clientConfig = config;
    client.setSslConfiguration(clientConfig);
    connect(&client, &QWebSocket::preSharedKeyAuthenticationRequired, this,
            [&](QSslPreSharedKeyAuthenticator *authenticator) {
                authenticator->setIdentity(QByteArrayLiteral("client-1"));
                authenticator->setPreSharedKey(key);
            });
    QSignalSpy text(&client, &QWebSocket::textMessageReceived);
    std::unique_ptr<RsWebSocket> accepted;
    connect(&server, &RsWebSocketServer::newConnection, this, [&] {
        accepted.reset(server.nextPendingConnection());
        accepted->sendTextMessage(QStringLiteral("psk ok"));
    });
    client.open(server.serverUrl());
    QTRY_COMPARE(text.size(), 1);
    QCOMPARE(text.at(0).at(0).toString(), QStringLiteral("psk ok"));
    QCOMPARE(spies.preSharedKeyAuthenticationRequired.size(), 1);
    QCOMPARE(identitySeen, QByteArrayLiteral("client-1"));
    QCOMPARE(spies.newConnection.size(), 1);
    QCOMPARE(spies.sslErrors.size(), 0);
    QCOMPARE(spies.serverError.size(), 0);
#endif
}
