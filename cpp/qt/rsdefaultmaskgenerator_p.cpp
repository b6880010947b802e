// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rsdefaultmaskgenerator_p.h"

#include <QtCore/QRandomGenerator>

RsDefaultMaskGenerator::RsDefaultMaskGenerator(QObject *parent)
    : RsMaskGenerator(parent)
{
}

RsDefaultMaskGenerator::~RsDefaultMaskGenerator() = default;

bool RsDefaultMaskGenerator::seed()
{
    // The system generator needs no seed; start from a fresh batch.
    m_next = m_keys.size();
    return true;
}

quint32 RsDefaultMaskGenerator::nextMask()
{
    for (;;) {
        if (m_next == m_keys.size())
            refill();
        const quint32 key = m_keys[m_next];
        m_keys[m_next++] = 0; // a used key does not stay in memory
        if (Q_LIKELY(key != 0)) // 0 would mean "not masked"
            return key;
    }
}

void RsDefaultMaskGenerator::refill()
{
    QRandomGenerator::system()->fillRange(m_keys.data(), qsizetype(m_keys.size()));
    m_next = 0;
}
