// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocket over TLS (wss://) with a certificate made at test time by the openssl CLI, the
// TLS signals forwarded from QSslSocket, and proxy authentication.

#include "tst_rswebsocket.h"

#include "socketspies.h"
#include "testpeers.h"

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslPreSharedKeyAuthenticator>
#include <QtNetwork/QSslSocket>
#include <QtTest/QTest>

namespace {

QSslCertificate loadCertificate(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QSslCertificate();
    return QSslCertificate(&file, QSsl::Pem);
}

QSslConfiguration serverConfiguration(const QString &certPath, const QString &keyPath)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(loadCertificate(certPath));
    QFile keyFile(keyPath);
    if (keyFile.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

QUrl wssUrl(const EchoServer &server)
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(server.server.serverPort()));
}

} // namespace

void tst_RsWebSocket::initTestCase()
{
    qRegisterMetaType<QAbstractSocket::SocketError>();
    qRegisterMetaType<QAbstractSocket::SocketState>();
    QVERIFY(m_dir.isValid());
    m_haveCertificate = QSslSocket::supportsSsl() && makeCertificate();
    if (!m_haveCertificate)
        qWarning("no TLS certificate: the wss tests will be skipped");
}

bool tst_RsWebSocket::makeCertificate()
{
    m_certPath = m_dir.filePath(QStringLiteral("cert.pem"));
    m_keyPath = m_dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), m_keyPath, QStringLiteral("-out"), m_certPath,
                    QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost") });
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
        return false;
    return !loadCertificate(m_certPath).isNull();
}

void tst_RsWebSocket::wssEcho()
{
    if (!m_haveCertificate)
        QSKIP("no openssl CLI or no TLS backend");
    EchoServer server(QWebSocketServer::SecureMode);
    server.server.setSslConfiguration(serverConfiguration(m_certPath, m_keyPath));
    QVERIFY(server.listen());

    RsWebSocket socket;
    SocketSpies spies(&socket);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates({ loadCertificate(m_certPath) });
    socket.setSslConfiguration(config);
    socket.open(wssUrl(server));
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
    QCOMPARE(spies.sslErrors.count(), 0);
    QCOMPARE(spies.peerVerifyError.count(), 0);
    QCOMPARE(socket.sslConfiguration().peerCertificate(), loadCertificate(m_certPath));
    QVERIFY(!socket.sslConfiguration().sessionCipher().isNull());

    socket.sendTextMessage(QStringLiteral("over TLS"));
    socket.sendBinaryMessage(QByteArray(200000, 'T'));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    QTRY_COMPARE(spies.binaryMessageReceived.count(), 1);
    QCOMPARE(spies.textMessageReceived.at(0).at(0).toString(), QStringLiteral("over TLS"));
    QCOMPARE(spies.binaryMessageReceived.at(0).at(0).toByteArray(), QByteArray(200000, 'T'));
    QVERIFY(spies.bytesWritten.count() > 0); // encrypted bytes written are reported
    socket.close(RsWebSocketProtocol::CloseCodeNormal, QStringLiteral("tls bye"));
    QTRY_COMPARE(spies.disconnected.count(), 1);
    QTRY_VERIFY(server.last() == nullptr || server.last()->closeReason() == QStringLiteral("tls bye"));
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::wssUntrustedCertificate_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<bool>("connects");
    QTest::newRow("errors are errors") << QStringLiteral("none") << false;
    QTest::newRow("ignoreSslErrors()") << QStringLiteral("all") << true;
    QTest::newRow("ignoreSslErrors(list)") << QStringLiteral("list") << true;
    QTest::newRow("ignoreSslErrors() in the sslErrors slot") << QStringLiteral("slot") << true;
}

void tst_RsWebSocket::wssUntrustedCertificate()
{
    QFETCH(QString, policy);
    QFETCH(bool, connects);
    if (!m_haveCertificate)
        QSKIP("no openssl CLI or no TLS backend");
    EchoServer server(QWebSocketServer::SecureMode);
    server.server.setSslConfiguration(serverConfiguration(m_certPath, m_keyPath));
    QVERIFY(server.listen());

    RsWebSocket socket; // the system CAs do not know our certificate
    SocketSpies spies(&socket);
    if (policy == QLatin1String("all"))
        socket.ignoreSslErrors();
    if (policy == QLatin1String("list"))
        socket.ignoreSslErrors({ QSslError(QSslError::SelfSignedCertificate,
                                           loadCertificate(m_certPath)) });
    if (policy == QLatin1String("slot"))
        connect(&socket, &RsWebSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
    socket.open(wssUrl(server));
    if (connects) {
        QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
        socket.sendTextMessage(QStringLiteral("trusted anyway"));
        QTRY_COMPARE(spies.textMessageReceived.count(), 1);
        QCOMPARE(spies.errorOccurred.count(), 0);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
        QCOMPARE(spies.connected.count(), 0);
        QCOMPARE(spies.sslErrors.count(), 1);
        QVERIFY(spies.peerVerifyError.count() >= 1);
        QVERIFY(spies.errorOccurred.count() >= 1);
        QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
                 QAbstractSocket::SslHandshakeFailedError);
        QVERIFY(spies.alertSent.count() >= 1); // the client told the server why
    }
    if (policy != QLatin1String("list"))
        QVERIFY(spies.sslErrors.count() == 1);
}

void tst_RsWebSocket::wssInterruptedHandshake()
{
    if (!m_haveCertificate)
        QSKIP("no openssl CLI or no TLS backend");
    EchoServer server(QWebSocketServer::SecureMode);
    server.server.setSslConfiguration(serverConfiguration(m_certPath, m_keyPath));
    QVERIFY(server.listen());

    RsWebSocket socket;
    SocketSpies spies(&socket);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setHandshakeMustInterruptOnError(true);
    socket.setSslConfiguration(config);
    connect(&socket, &RsWebSocket::handshakeInterruptedOnError, &socket, [&socket] {
        socket.ignoreSslErrors();
        socket.continueInterruptedHandshake();
    });
    socket.open(wssUrl(server));
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
    QVERIFY(spies.handshakeInterruptedOnError.count() >= 1);
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::wssAlertReceived()
{
    if (!m_haveCertificate)
        QSKIP("no openssl CLI or no TLS backend");
    EchoServer server(QWebSocketServer::SecureMode);
    QSslConfiguration serverConfig = serverConfiguration(m_certPath, m_keyPath);
    serverConfig.setProtocol(QSsl::TlsV1_2); // the server speaks TLS 1.2 only ...
    server.server.setSslConfiguration(serverConfig);
    QVERIFY(server.listen());

    RsWebSocket socket;
    SocketSpies spies(&socket);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_3OrLater); // ... the client TLS 1.3 only: protocol_version alert
    socket.setSslConfiguration(config);
    socket.ignoreSslErrors();
    socket.open(wssUrl(server));
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
    QVERIFY(spies.alertReceived.count() >= 1);
    QCOMPARE(spies.alertReceived.at(0).at(0).value<QSsl::AlertLevel>(), QSsl::AlertLevel::Fatal);
    QCOMPARE(spies.alertReceived.at(0).at(1).value<QSsl::AlertType>(),
             QSsl::AlertType::ProtocolVersion);
    QCOMPARE(spies.connected.count(), 0);
    QVERIFY(spies.errorOccurred.count() >= 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::SslHandshakeFailedError);
}

void tst_RsWebSocket::wssPreSharedKey()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const QSslCipher cipher(QStringLiteral("PSK-AES128-CBC-SHA256"));
    if (cipher.isNull())
        QSKIP("the TLS backend offers no PSK cipher");
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2);
    config.setCiphers({ cipher });
    config.setPeerVerifyMode(QSslSocket::VerifyNone);

    EchoServer server(QWebSocketServer::SecureMode);
    QSslConfiguration serverConfig = config;
    serverConfig.setPreSharedKeyIdentityHint("rswebsockets hint");
    server.server.setSslConfiguration(serverConfig);
    QByteArray identitySeen;
    connect(&server.server, &QWebSocketServer::preSharedKeyAuthenticationRequired, &server,
            [&identitySeen](QSslPreSharedKeyAuthenticator *authenticator) {
                identitySeen = authenticator->identity();
                authenticator->setPreSharedKey("0123456789abcdef");
            });
    QVERIFY(server.listen());

    RsWebSocket socket;
    SocketSpies spies(&socket);
    socket.setSslConfiguration(config);
    QByteArray hintSeen;
    connect(&socket, &RsWebSocket::preSharedKeyAuthenticationRequired, &socket,
            [&hintSeen](QSslPreSharedKeyAuthenticator *authenticator) {
                hintSeen = authenticator->identityHint();
                authenticator->setIdentity("rswebsockets client");
                authenticator->setPreSharedKey("0123456789abcdef");
            });
    socket.open(wssUrl(server));
    QTRY_COMPARE_WITH_TIMEOUT(spies.connected.count(), 1, 10000);
    QCOMPARE(spies.preSharedKeyAuthenticationRequired.count(), 1);
    QCOMPARE(hintSeen, QByteArray("rswebsockets hint"));
    QCOMPARE(identitySeen, QByteArray("rswebsockets client"));
    socket.sendTextMessage(QStringLiteral("psk"));
    QTRY_COMPARE(spies.textMessageReceived.count(), 1);
    QCOMPARE(spies.errorOccurred.count(), 0);
}

void tst_RsWebSocket::proxyAuthenticationRequired()
{
    // An HTTP proxy that wants credentials for every CONNECT.
    QTcpServer proxy;
    QByteArray proxyRequest;
    connect(&proxy, &QTcpServer::newConnection, &proxy, [&] {
        QTcpSocket *client = proxy.nextPendingConnection();
        connect(client, &QTcpSocket::readyRead, client, [&, client] {
            proxyRequest += client->readAll();
            if (!proxyRequest.contains("\r\n\r\n"))
                return;
            client->write("HTTP/1.1 407 Proxy Authentication Required\r\n"
                          "Proxy-Authenticate: Basic realm=\"rswebsockets\"\r\n"
                          "Content-Length: 0\r\nConnection: close\r\n\r\n");
            client->disconnectFromHost();
        });
    });
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

    RsWebSocket socket;
    SocketSpies spies(&socket);
    const QNetworkProxy networkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"),
                                     proxy.serverPort());
    socket.setProxy(networkProxy);
    QString realm;
    connect(&socket, &RsWebSocket::proxyAuthenticationRequired, &socket,
            [&realm](const QNetworkProxy &, QAuthenticator *authenticator) {
                realm = authenticator->realm(); // no credentials given
            });
    socket.open(QUrl(QStringLiteral("ws://websocket.example:8080/")));
    QTRY_COMPARE_WITH_TIMEOUT(spies.disconnected.count(), 1, 10000);
    QVERIFY(proxyRequest.startsWith("CONNECT websocket.example:8080"));
    QCOMPARE(spies.proxyAuthenticationRequired.count(), 1);
    QCOMPARE(realm, QStringLiteral("rswebsockets"));
    QCOMPARE(spies.connected.count(), 0);
    QVERIFY(spies.errorOccurred.count() >= 1);
    QCOMPARE(spies.errorOccurred.at(0).at(0).value<QAbstractSocket::SocketError>(),
             QAbstractSocket::ProxyAuthenticationRequiredError);
}
