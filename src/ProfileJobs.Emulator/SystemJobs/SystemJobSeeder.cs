using System;
using System.Collections.Generic;
using ProfileJobs.Emulator.Gateway;
using ProfileJobs.Emulator.Infrastructure;

namespace ProfileJobs.Emulator.SystemJobs;

/// <summary>
/// Deterministic pre-existing jobs (fixed <see cref="Random"/> seed): same ids, types, datasets and statuses on
/// every run; timestamps are spread backwards from the moment of seeding. Seeded statuses never change.
/// </summary>
public static class SystemJobSeeder
{
    public const int RandomSeed = 20250114;

    public static List<SystemJob> Create(EmulatorOptions options, SandboxRef sandbox, DateTime now)
    {
        int n = options.SeedJobs;
        var rnd = new Random(RandomSeed);
        bool azure = options.Mode == EmulatorMode.Azure;

        var datasets = new string[16];
        for (int i = 0; i < datasets.Length; i++)
        {
            datasets[i] = Ids.HexString(24, rnd);
        }

        // Creation times, newest first: 1 minute ago, then 3..13 minutes apart, with microsecond jitter.
        var created = new DateTime[n];
        long t = Timestamps.TruncateToMicros(now).Ticks - TimeSpan.TicksPerMinute;
        for (int i = n - 1; i >= 0; i--)
        {
            created[i] = new DateTime(t, DateTimeKind.Utc);
            t -= (3 * TimeSpan.TicksPerMinute) + (rnd.Next(0, 600) * TimeSpan.TicksPerSecond) + (rnd.Next(0, 1_000_000) * 10L);
        }

        var jobs = new List<SystemJob>(n);
        for (int i = 0; i < n; i++)
        {
            SystemJobType type = PickType(rnd, azure);
            JobPhase phase = PickPhase(rnd, i, n, azure);
            string datasetId = datasets[rnd.Next(datasets.Length)];
            string? batchId = type == SystemJobType.DeleteEeBatch
                ? (azure ? Ids.HexString(32, rnd) : Ids.UlidLike(new DateTimeOffset(created[i]), rnd))
                : null;
            long recordsTotal = rnd.Next(0, 250_000);
            DateTime updated = phase == JobPhase.New
                ? created[i]
                : created[i].AddTicks((rnd.Next(1, 900) * TimeSpan.TicksPerSecond) + (rnd.Next(0, 1_000_000) * 10L));

            jobs.Add(new SystemJob
            {
                Id = Ids.Uuid(rnd),
                Type = type,
                DatasetId = datasetId,
                BatchId = batchId,
                OrgId = options.OrgId,
                Sandbox = sandbox,
                CreatedAt = created[i],
                StepMs = options.JobStepMs,
                Outcome = phase,
                PinnedPhase = phase,
                PinnedUpdatedAt = updated,
                RecordsTotal = recordsTotal,
                Seeded = true,
            });
        }

        jobs.Sort(SystemJobPartition.CreationOrder);
        return jobs;
    }

    private static SystemJobType PickType(Random rnd, bool azure)
    {
        int r = rnd.Next(100);
        if (!azure && r < 6)
        {
            return SystemJobType.BackfillTtl;
        }

        return r < 45 ? SystemJobType.DeleteEeBatch : SystemJobType.TruncateDataset;
    }

    /// <summary>The newest two are NEW and IN-PROGRESS, the oldest two ERROR and FAILED, the rest mostly succeeded.</summary>
    private static JobPhase PickPhase(Random rnd, int i, int n, bool azure)
    {
        int r = rnd.Next(100);
        if (i == n - 1)
        {
            return JobPhase.New;
        }

        if (i == n - 2)
        {
            return JobPhase.InProgress;
        }

        if (i == 0)
        {
            return JobPhase.Error;
        }

        if (i == 1)
        {
            return azure ? JobPhase.Error : JobPhase.Failed;
        }

        return r switch
        {
            < 80 => JobPhase.Success,
            < 88 => JobPhase.Error,
            < 94 => azure ? JobPhase.Error : JobPhase.Failed,
            < 97 => JobPhase.InProgress,
            _ => JobPhase.New,
        };
    }
}
