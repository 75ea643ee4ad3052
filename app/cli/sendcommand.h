#pragma once

#include "command.h"

// `kmtester-cli send`: translates a file with an HTTP engine and sends the requests to a target,
// through the durable outbox (what an earlier run left unsent goes first), with retries, a
// concurrency and a rate limit, progress on standard error and a summary at the end.
class SendCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("send"); }
    QString description() const override;
    int execute(const QStringList &args) override;
};
