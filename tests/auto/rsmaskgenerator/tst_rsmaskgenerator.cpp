// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsMaskGenerator: the QMaskGenerator contract, a user subclass plugged into RsWebSocket, and
// the default generator RsWebSocket starts with (CSPRNG-backed, never 0, no repeats).

#include <RsWebSockets/RsMaskGenerator>
#include <RsWebSockets/RsWebSocket>

#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtTest/QTest>

#include <array>
#include <type_traits>

namespace {

class SequenceGenerator : public RsMaskGenerator
{
public:
    explicit SequenceGenerator(QObject *parent = nullptr) : RsMaskGenerator(parent) { }
    bool seed() override
    {
        ++seeds;
        next = 0x01020304;
        return true;
    }
    quint32 nextMask() override { return next++; }
    quint32 next = 0;
    int seeds = 0;
};

} // namespace

class tst_RsMaskGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contract();
    void subclass_data();
    void subclass();
    void ownership();
    void defaultGenerator_data();
    void defaultGenerator();
};

void tst_RsMaskGenerator::contract()
{
    static_assert(std::is_abstract_v<RsMaskGenerator>);
    static_assert(std::is_base_of_v<QObject, RsMaskGenerator>);
    static_assert(!std::is_copy_constructible_v<RsMaskGenerator>);
    static_assert(std::has_virtual_destructor_v<RsMaskGenerator>);
    QVERIFY(true);
}

void tst_RsMaskGenerator::subclass_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("1") << 1;
    QTest::newRow("1000") << 1000;
}

void tst_RsMaskGenerator::subclass()
{
    QFETCH(int, count);
    SequenceGenerator generator;
    QVERIFY(generator.seed());
    for (int i = 0; i < count; ++i)
        QCOMPARE(generator.nextMask(), quint32(0x01020304 + i));
    RsWebSocket socket;
    socket.setMaskGenerator(&generator);
    QCOMPARE(socket.maskGenerator(), &generator);
}

void tst_RsMaskGenerator::ownership()
{
    QObject parent;
    QPointer<SequenceGenerator> child = new SequenceGenerator(&parent);
    QCOMPARE(child->parent(), &parent);
    {
        RsWebSocket socket;
        socket.setMaskGenerator(child);
    } // the socket does not own (or delete) the generator
    QVERIFY(!child.isNull());
}

void tst_RsMaskGenerator::defaultGenerator_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one batch") << 64;
    QTest::newRow("many batches") << 100000;
}

void tst_RsMaskGenerator::defaultGenerator()
{
    QFETCH(int, count);
    RsWebSocket socket;
    auto *generator = const_cast<RsMaskGenerator *>(socket.maskGenerator());
    QVERIFY(generator);
    QVERIFY(generator->seed());
    QSet<quint32> seen;
    std::array<int, 32> ones{};
    for (int i = 0; i < count; ++i) {
        const quint32 mask = generator->nextMask();
        QVERIFY(mask != 0);
        seen.insert(mask);
        for (int bit = 0; bit < 32; ++bit)
            ones[bit] += (mask >> bit) & 1;
    }
    // 32 random bits: collisions are rare (birthday bound ~1 for 100000 draws)
    QVERIFY2(seen.size() >= count - 5, qPrintable(QString::number(count - seen.size())));
    if (count >= 10000) {
        for (int bit = 0; bit < 32; ++bit) // every bit is set about half of the time
            QVERIFY2(qAbs(ones[bit] - count / 2) < count / 20, qPrintable(QString::number(bit)));
    }
    // two sockets do not share a sequence
    RsWebSocket other;
    auto *otherGenerator = const_cast<RsMaskGenerator *>(other.maskGenerator());
    QVERIFY(otherGenerator != generator);
    QVERIFY(generator->nextMask() != otherGenerator->nextMask()
            || generator->nextMask() != otherGenerator->nextMask());
}

QTEST_MAIN(tst_RsMaskGenerator)
#include "tst_rsmaskgenerator.moc"
