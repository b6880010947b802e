// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketProtocol through RsWebSockets::Qt: every enumerator against Qt's own
// QWebSocketProtocol value (where Qt makes it public) and the shared vectors; every helper
// against the vectors, against Qt's semantics (QStringView::toInt) and against a byte loop.

#include <RsWebSockets/RsWebSocketProtocol>

#include <QtWebSockets/QWebSocketProtocol>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QRandomGenerator>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtTest/QTest>

#include "protocolenums.h"
#include "protocolvectors.h"

#include <string>
#include <string_view>
#include <type_traits>

namespace {

// Qt 6's versionFromString, spelled out from its documented behaviour: QStringView::toInt, then
// only the supported versions.
RsWebSocketProtocol::Version qtVersionFromString(QStringView text)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    const QList<int> supported = {0, 4, 5, 6, 7, 8, 13};
    return ok && supported.contains(value) ? static_cast<RsWebSocketProtocol::Version>(value)
                                           : RsWebSocketProtocol::VersionUnknown;
}

QByteArray byteLoopMask(QByteArray payload, quint32 key)
{
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>(payload.at(i) ^ static_cast<char>(key >> (8 * (3 - i % 4))));
    return payload;
}

QByteArray bytes(const std::string &s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

class tst_RsWebSocketProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publicEnumsMatchQt_data();
    void publicEnumsMatchQt();
    void enumVectors_data();
    void enumVectors();
    void enumTypes();
    void isOpCodeReserved_data();
    void isOpCodeReserved();
    void isCloseCodeValid_data();
    void isCloseCodeValid();
    void isCloseCodeValidRange();
    void currentVersion();
    void versionFromString_data();
    void versionFromString();
    void versionFromQStringView_data();
    void versionFromQStringView();
    void maskVectors_data();
    void maskVectors();
    void maskAgainstByteLoop_data();
    void maskAgainstByteLoop();
    void maskEmpty();
    void maskWithQtTypes();
};

void tst_RsWebSocketProtocol::publicEnumsMatchQt_data()
{
    QTest::addColumn<int>("rs");
    QTest::addColumn<int>("qt");
#define ROW(name) QTest::newRow(#name) << int(RsWebSocketProtocol::name) << int(QWebSocketProtocol::name)
    ROW(CloseCodeNormal);
    ROW(CloseCodeGoingAway);
    ROW(CloseCodeProtocolError);
    ROW(CloseCodeDatatypeNotSupported);
    ROW(CloseCodeReserved1004);
    ROW(CloseCodeMissingStatusCode);
    ROW(CloseCodeAbnormalDisconnection);
    ROW(CloseCodeWrongDatatype);
    ROW(CloseCodePolicyViolated);
    ROW(CloseCodeTooMuchData);
    ROW(CloseCodeMissingExtension);
    ROW(CloseCodeBadOperation);
    ROW(CloseCodeTlsHandshakeFailed);
    ROW(VersionUnknown);
    ROW(Version0);
    ROW(Version4);
    ROW(Version5);
    ROW(Version6);
    ROW(Version7);
    ROW(Version8);
    ROW(Version13);
    ROW(VersionLatest);
#undef ROW
}

void tst_RsWebSocketProtocol::publicEnumsMatchQt()
{
    QFETCH(int, rs);
    QFETCH(int, qt);
    QCOMPARE(rs, qt);
}

void tst_RsWebSocketProtocol::enumVectors_data()
{
    QTest::addColumn<QString>("enumName");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected");
    int rows = 0;
    for (const auto &v : ProtocolVectors::load("enum")) {
        QTest::newRow(v.fields.at(2).c_str())
                << QString::fromStdString(v.fields.at(1)) << QString::fromStdString(v.fields.at(2))
                << std::stoi(v.fields.at(3));
        ++rows;
    }
    // Every enumerator of the header is named by the shared vectors (and no other name is).
    QCOMPARE(size_t(rows), ProtocolEnums::all().size());
}

void tst_RsWebSocketProtocol::enumVectors()
{
    QFETCH(QString, enumName);
    QFETCH(QString, name);
    QFETCH(int, expected);
    const auto *e = ProtocolEnums::find(enumName.toStdString(), name.toStdString());
    QVERIFY2(e != nullptr, qPrintable(name));
    QCOMPARE(e->value, expected);
}

void tst_RsWebSocketProtocol::enumTypes()
{
    using namespace RsWebSocketProtocol;
    static_assert(std::is_enum_v<CloseCode> && std::is_enum_v<OpCode> && std::is_enum_v<Version>);
    static_assert(std::is_convertible_v<CloseCode, int> && std::is_convertible_v<Version, int>);
    static_assert(sizeof(CloseCode) == sizeof(QWebSocketProtocol::CloseCode));
    static_assert(sizeof(Version) == sizeof(QWebSocketProtocol::Version));
    RsWebSocketProtocol::CloseCode c = RsWebSocketProtocol::CloseCodeNormal;
    int x = c;
    QCOMPARE(x, int(QWebSocketProtocol::CloseCodeNormal));
    RsWebSocketProtocol::Version v = RsWebSocketProtocol::VersionLatest;
    QCOMPARE(int(v), int(QWebSocketProtocol::VersionLatest));
}

void tst_RsWebSocketProtocol::isOpCodeReserved_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("reserved");
    for (int code = -2; code <= 20; ++code) {
        // Qt: above Binary and below Close, or above Pong.
        const bool reserved = (code > 0x2 && code < 0x8) || code > 0xA;
        QTest::addRow("%d", code) << code << reserved;
    }
}

void tst_RsWebSocketProtocol::isOpCodeReserved()
{
    QFETCH(int, code);
    QFETCH(bool, reserved);
    QCOMPARE(RsWebSocketProtocol::isOpCodeReserved(static_cast<RsWebSocketProtocol::OpCode>(code)),
             reserved);
}

void tst_RsWebSocketProtocol::isCloseCodeValid_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("valid");
    for (const auto &v : ProtocolVectors::load("close_code_valid"))
        QTest::newRow(v.fields.at(1).c_str()) << std::stoi(v.fields.at(1)) << (v.fields.at(2) == "1");
}

void tst_RsWebSocketProtocol::isCloseCodeValid()
{
    QFETCH(int, code);
    QFETCH(bool, valid);
    QCOMPARE(RsWebSocketProtocol::isCloseCodeValid(code), valid);
}

void tst_RsWebSocketProtocol::isCloseCodeValidRange()
{
    for (int code = -1000; code <= 70000; ++code) {
        const bool expected = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
                || (code >= 3000 && code <= 4999);
        if (RsWebSocketProtocol::isCloseCodeValid(code) != expected)
            QFAIL(qPrintable(QStringLiteral("isCloseCodeValid(%1)").arg(code)));
    }
}

void tst_RsWebSocketProtocol::currentVersion()
{
    QCOMPARE(RsWebSocketProtocol::currentVersion(), RsWebSocketProtocol::VersionLatest);
    QCOMPARE(int(RsWebSocketProtocol::currentVersion()), int(QWebSocketProtocol::VersionLatest));
}

void tst_RsWebSocketProtocol::versionFromString_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("expected");
    for (const auto &v : ProtocolVectors::load("version"))
        QTest::addRow("line %d", v.line) << bytes(ProtocolVectors::fromHex(v.fields.at(1))) << std::stoi(v.fields.at(2));
}

void tst_RsWebSocketProtocol::versionFromString()
{
    QFETCH(QByteArray, input);
    QFETCH(int, expected);
    const std::string_view view(input.constData(), size_t(input.size()));
    QCOMPARE(int(RsWebSocketProtocol::versionFromString(view)), expected);
    // The same text through the QStringView overload, and Qt's own semantics, agree. Invalid
    // UTF-8 decodes with U+FFFD, which is never a digit: still VersionUnknown.
    const QString text = QString::fromUtf8(input);
    QCOMPARE(int(RsWebSocketProtocol::versionFromString(QStringView(text))), expected);
    QCOMPARE(int(qtVersionFromString(text)), expected);
}

void tst_RsWebSocketProtocol::versionFromQStringView_data()
{
    QTest::addColumn<QString>("input");
    const char16_t loneHigh[] = {0xD800, u'1', u'3', 0};
    const char16_t loneLow[] = {u'1', u'3', 0xDC00, 0};
    QTest::newRow("lone high surrogate") << QString::fromUtf16(loneHigh);
    QTest::newRow("lone low surrogate") << QString::fromUtf16(loneLow);
    QTest::newRow("null") << QString();
    QTest::newRow("tabs") << QStringLiteral("\t\t8\t");
    QTest::newRow("nbsp") << QString(QChar(0xA0)) + QStringLiteral("7");
    QTest::newRow("ogham space") << QString(QChar(0x1680)) + QStringLiteral("6");
    QTest::newRow("next line") << QString(QChar(0x85)) + QStringLiteral("5");
    QTest::newRow("info separator") << QString(QChar(0x1F)) + QStringLiteral("5");
    QTest::newRow("mongolian vowel separator") << QString(QChar(0x180E)) + QStringLiteral("4");
    QTest::newRow("arabic digits") << QString::fromUtf16(u"\u0661\u0663");
    QTest::newRow("plus zero") << QStringLiteral("+00000");
    QTest::newRow("overflow") << QStringLiteral("21474836470");
    for (int i = -20; i <= 20; ++i)
        QTest::addRow("number %d", i) << QString::number(i);
}

void tst_RsWebSocketProtocol::versionFromQStringView()
{
    QFETCH(QString, input);
    QCOMPARE(RsWebSocketProtocol::versionFromString(QStringView(input)), qtVersionFromString(input));
}

void tst_RsWebSocketProtocol::maskVectors_data()
{
    QTest::addColumn<quint32>("key");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("masked");
    for (const auto &v : ProtocolVectors::load("mask"))
        QTest::addRow("line %d", v.line) << ProtocolVectors::keyFromHex(v.fields.at(1))
                                  << bytes(ProtocolVectors::fromHex(v.fields.at(2)))
                                  << bytes(ProtocolVectors::fromHex(v.fields.at(3)));
}

void tst_RsWebSocketProtocol::maskVectors()
{
    QFETCH(quint32, key);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, masked);
    QByteArray viaQByteArray = payload;
    RsWebSocketProtocol::mask(&viaQByteArray, key);
    QCOMPARE(viaQByteArray, masked);
    QByteArray viaPointer = payload;
    RsWebSocketProtocol::mask(viaPointer.data(), quint64(viaPointer.size()), key);
    QCOMPARE(viaPointer, masked);
    QCOMPARE(byteLoopMask(payload, key), masked);
}

void tst_RsWebSocketProtocol::maskAgainstByteLoop_data()
{
    QTest::addColumn<int>("offset");
    for (int offset = 0; offset <= 15; ++offset)
        QTest::addRow("offset %d", offset) << offset;
}

void tst_RsWebSocketProtocol::maskAgainstByteLoop()
{
    QFETCH(int, offset);
    QRandomGenerator rng(quint32(6455 + offset));
    QByteArray source(300 + 16, Qt::Uninitialized);
    for (char &c : source)
        c = char(rng.generate());
    const quint32 key = rng.generate();
    for (int length = 0; length <= 300; ++length) {
        QByteArray fast = source;
        RsWebSocketProtocol::mask(fast.data() + offset, quint64(length), key);
        QByteArray expected = source;
        expected.replace(offset, length, byteLoopMask(source.mid(offset, length), key));
        if (fast != expected)
            QFAIL(qPrintable(QStringLiteral("length %1").arg(length)));
        QByteArray slice = source.mid(offset, length);
        RsWebSocketProtocol::mask(&slice, key);
        QCOMPARE(slice, expected.mid(offset, length));
    }
}

void tst_RsWebSocketProtocol::maskEmpty()
{
    RsWebSocketProtocol::mask(nullptr, 0, 0x12345678u);
    QByteArray empty;
    RsWebSocketProtocol::mask(&empty, 0x12345678u);
    QVERIFY(empty.isNull());
    RsWebSocketProtocol::mask(static_cast<QByteArray *>(nullptr), 0x12345678u);
    QByteArray data("abc");
    RsWebSocketProtocol::mask(data.data(), 0, 0x12345678u);
    QCOMPARE(data, QByteArray("abc"));
}

void tst_RsWebSocketProtocol::maskWithQtTypes()
{
    // quint64 is unsigned long long, std::uint64_t unsigned long: both 64-bit unsigned, so Qt
    // typed arguments convert exactly; qsizetype and int sizes work as with Qt's declaration.
    static_assert(sizeof(quint64) == sizeof(std::uint64_t) && sizeof(quint32) == sizeof(std::uint32_t));
    QByteArray data(64, 'x');
    const QByteArray original = data;
    const quint64 size = quint64(data.size());
    const quint32 key = 0xA1B2C3D4u;
    RsWebSocketProtocol::mask(data.data(), size, key);
    QCOMPARE(data, byteLoopMask(original, key));
    RsWebSocketProtocol::mask(data.data(), quint64(data.size()), key);
    QCOMPARE(data, original);
    const int small = 4;
    RsWebSocketProtocol::mask(data.data(), small, key);
    QCOMPARE(data.left(4), byteLoopMask(original.left(4), key));
}

QTEST_APPLESS_MAIN(tst_RsWebSocketProtocol)

#include "tst_rswebsocketprotocol.moc"
