using System;
using System.Collections.Generic;
using System.Threading;

namespace ProfileJobs.Emulator.Hygiene;

/// <summary>Why a work order was refused by the identity quota.</summary>
public sealed record QuotaViolation(string QuotaName, long Quota, long Consumed, long Requested);

/// <summary>
/// Work orders of every (org, sandbox) plus the per-org identity usage behind the daily and monthly quotas (GMT days,
/// months starting on the 1st). Quota check and insertion are one atomic step. Thread-safe; no I/O under the lock.
/// </summary>
public sealed class WorkOrderStore
{
    public const string DailyQuotaName = "dailyConsumerDeleteIdentitiesQuota";
    public const string MonthlyQuotaName = "monthlyConsumerDeleteIdentitiesQuota";
    public const string DatasetExpirationQuotaName = "datasetExpirationQuota";

    private readonly Lock _sync = new();
    private readonly List<WorkOrder> _all = new();
    private readonly Dictionary<string, WorkOrder> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Org, DateOnly Day), long> _usage = new();

    /// <summary>Counts the identities against the quotas and stores the work order, or returns the violated quota.</summary>
    public QuotaViolation? TryAdd(WorkOrder order, DateTime now, long dailyQuota, long monthlyQuota)
    {
        lock (_sync)
        {
            (long daily, long monthly) = ConsumedLocked(order.OrgId, now);
            long n = order.OperationCount;
            if (daily + n > dailyQuota)
            {
                return new QuotaViolation(DailyQuotaName, dailyQuota, daily, n);
            }

            if (monthly + n > monthlyQuota)
            {
                return new QuotaViolation(MonthlyQuotaName, monthlyQuota, monthly, n);
            }

            var key = (order.OrgId, DateOnly.FromDateTime(now));
            _usage[key] = _usage.GetValueOrDefault(key) + n;
            _all.Add(order);
            _byId[order.WorkorderId] = order;
            _byId[order.BundleId] = order;
            return null;
        }
    }

    /// <summary>Identities accepted today and this month (GMT) for the org.</summary>
    public (long Daily, long Monthly) Consumed(string org, DateTime now)
    {
        lock (_sync)
        {
            return ConsumedLocked(org, now);
        }
    }

    /// <summary>A work order by <c>workorderId</c> or <c>bundleId</c> within one (org, sandbox), or null.</summary>
    public WorkOrder? Find(string org, string sandboxKey, string id)
    {
        lock (_sync)
        {
            return _byId.TryGetValue(id, out WorkOrder? wo) &&
                   string.Equals(wo.OrgId, org, StringComparison.Ordinal) &&
                   string.Equals(wo.Sandbox.Key, sandboxKey, StringComparison.Ordinal)
                ? wo
                : null;
        }
    }

    public void Update(WorkOrder order, string? displayName, string? description, DateTime now)
    {
        lock (_sync)
        {
            if (displayName != null)
            {
                order.DisplayName = displayName;
            }

            if (description != null)
            {
                order.Description = description;
            }

            order.EditedAt = now;
        }
    }

    /// <summary>Work orders of one (org, sandbox), in creation order.</summary>
    public List<WorkOrder> Select(string org, string sandboxKey)
    {
        var result = new List<WorkOrder>();
        lock (_sync)
        {
            foreach (WorkOrder wo in _all)
            {
                if (string.Equals(wo.OrgId, org, StringComparison.Ordinal) && string.Equals(wo.Sandbox.Key, sandboxKey, StringComparison.Ordinal))
                {
                    result.Add(wo);
                }
            }
        }

        return result;
    }

    public WorkOrder[] All()
    {
        lock (_sync)
        {
            return _all.ToArray();
        }
    }

    /// <summary>Drops every work order and all quota usage.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _all.Clear();
            _byId.Clear();
            _usage.Clear();
        }
    }

    private (long Daily, long Monthly) ConsumedLocked(string org, DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        long daily = 0;
        long monthly = 0;
        foreach (KeyValuePair<(string Org, DateOnly Day), long> pair in _usage)
        {
            if (!string.Equals(pair.Key.Org, org, StringComparison.Ordinal) ||
                pair.Key.Day.Year != today.Year || pair.Key.Day.Month != today.Month)
            {
                continue;
            }

            monthly += pair.Value;
            if (pair.Key.Day == today)
            {
                daily += pair.Value;
            }
        }

        return (daily, monthly);
    }
}
