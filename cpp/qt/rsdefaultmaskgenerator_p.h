// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSDEFAULTMASKGENERATOR_P_H
#define RSDEFAULTMASKGENERATOR_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RsWebSockets API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include <RsWebSockets/rsmaskgenerator.h>

#include <array>

// The mask generator RsWebSocket uses unless the application sets its own: keys come from the
// operating system's CSPRNG (QRandomGenerator::system()), fetched in batches so a key costs
// no system call. Never returns 0.
class RsDefaultMaskGenerator final : public RsMaskGenerator
{
public:
    explicit RsDefaultMaskGenerator(QObject *parent = nullptr);
    ~RsDefaultMaskGenerator() override;

    bool seed() override;
    quint32 nextMask() override;

private:
    void refill();

    std::array<quint32, 64> m_keys{};
    std::size_t m_next = 64;
};

#endif // RSDEFAULTMASKGENERATOR_P_H
