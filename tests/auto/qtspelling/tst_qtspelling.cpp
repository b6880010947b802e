// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// Proves the porting promise: code written against QWebSocketProtocol compiles against
// RsWebSocketProtocol by renaming the namespace, and means the same.

#include <RsWebSockets/RsWebSocketProtocol>

#include <QtWebSockets/QWebSocketProtocol>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtTest/QTest>

// (The anonymous namespaces give the included functions internal linkage.)
namespace ViaQt {
namespace {
#include "qtcode_public.inc"
} // namespace
} // namespace ViaQt

namespace ViaRs {
namespace {
#define QWebSocketProtocol RsWebSocketProtocol
#include "qtcode_public.inc"
#include "qtcode_private.inc"
#undef QWebSocketProtocol
} // namespace
} // namespace ViaRs

class tst_QtSpelling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publicApiMeansTheSame();
    void describeMatches_data();
    void describeMatches();
    void privateApiCompilesAndWorks();
};

void tst_QtSpelling::publicApiMeansTheSame()
{
    QCOMPARE(ViaRs::publicEnumerators(), ViaQt::publicEnumerators());
    QCOMPARE(ViaRs::implicitConversions(), ViaQt::implicitConversions());
}

void tst_QtSpelling::describeMatches_data()
{
    QTest::addColumn<int>("value");
    for (int value : ViaQt::publicEnumerators())
        QTest::addRow("%d", value) << value;
}

void tst_QtSpelling::describeMatches()
{
    QFETCH(int, value);
    if (value >= 1000) {
        QCOMPARE(ViaRs::describe(static_cast<RsWebSocketProtocol::CloseCode>(value)),
                 ViaQt::describe(static_cast<QWebSocketProtocol::CloseCode>(value)));
    } else {
        QCOMPARE(ViaRs::describe(static_cast<RsWebSocketProtocol::Version>(value)),
                 ViaQt::describe(static_cast<QWebSocketProtocol::Version>(value)));
    }
}

void tst_QtSpelling::privateApiCompilesAndWorks()
{
    QList<int> expectedOpCodes;
    for (int i = 0; i < 16; ++i)
        expectedOpCodes.append(i);
    QCOMPARE(ViaRs::privateEnumerators(), expectedOpCodes);

    const ViaRs::HelperResults r = ViaRs::useHelpers();
    QVERIFY(r.reserved3);
    QVERIFY(!r.textReserved);
    QVERIFY(r.normalValid);
    QVERIFY(!r.reservedValid);
    QCOMPARE(int(r.current), int(QWebSocketProtocol::VersionLatest));
    QCOMPARE(int(r.fromQString), int(QWebSocketProtocol::Version13));
    QCOMPARE(int(r.fromLiteral), int(QWebSocketProtocol::Version8));
    QCOMPARE(int(r.fromView), int(QWebSocketProtocol::Version13));
    // RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
    const QByteArray expected = QByteArray::fromHex("7f9f4d5158");
    QCOMPARE(r.maskedArray, expected);
    QCOMPARE(r.maskedPointer, expected);
}

QTEST_APPLESS_MAIN(tst_QtSpelling)

#include "tst_qtspelling.moc"
