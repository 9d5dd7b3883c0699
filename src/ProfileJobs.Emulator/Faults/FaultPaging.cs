using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;

namespace ProfileJobs.Emulator.Faults;

/// <summary>
/// What the list handlers do under a paging fault (<c>next-endless</c>, <c>next-alternate</c>, <c>page-cap</c>). The
/// cap changes only the page size the handler uses; the other two replace the page with <see cref="Synthesize"/>.
/// </summary>
internal static class FaultPaging
{
    /// <summary>Most items in a page made up by an endless or alternating list.</summary>
    public const int MaxSynthesizedPage = 1000;

    /// <summary>The paging rule applied to this request, or null.</summary>
    public static FaultRule? Rule(HttpContext ctx) => FaultMark.For(ctx, FaultTarget.PagedList);

    /// <summary>True when the handler must build the page with <see cref="Synthesize"/>.</summary>
    public static bool Synthesizes(FaultRule? rule) => rule is { Kind: FaultKind.NextEndless or FaultKind.NextAlternate };

    /// <summary>The page size the server uses: the requested one, or at most the cap of a <c>page-cap</c> rule.</summary>
    public static int EffectiveSize(FaultRule? rule, int requested) =>
        rule is { Kind: FaultKind.PageCap } ? Math.Min(requested, rule.MaxPageSize) : requested;

    /// <summary>
    /// A page of an endless or alternating list. <paramref name="head"/> is the real list's first
    /// <c>min(total, 2 × size)</c> items in list order. Every page is full: <c>content:"same"</c> repeats the real
    /// first page (cycling through the real items when there are fewer), <c>next-alternate</c> shows the real
    /// pages 0 and 1 for even and odd pages, <c>content:"new"</c> (or an empty real list) fabricates items unique to
    /// the page. The next page is <c>page+1</c> (endless) or the other page of the pair (alternate), and the claimed
    /// total always leaves one more page.
    /// </summary>
    public static SynthesizedPage<T> Synthesize<T>(FaultRule rule, long page, int size, IReadOnlyList<T> head, long realTotal, Func<long, int, T> fabricate)
    {
        int n = Math.Clamp(size, 1, MaxSynthesizedPage);
        var items = new List<T>(n);
        bool fabricated = rule.NewContent || head.Count == 0;
        long window = rule.Kind == FaultKind.NextAlternate ? page % 2 : 0;
        for (int i = 0; i < n; i++)
        {
            if (fabricated)
            {
                items.Add(fabricate(rule.NewContent ? page : window, i));
            }
            else
            {
                items.Add(head[(int)(((window * n) + i) % head.Count)]);
            }
        }

        long next = rule.Kind == FaultKind.NextEndless ? page + 1 : page % 2 == 0 ? 1 : 0;
        long claimed = Math.Max(realTotal, (Math.Max(page, next) + 1) * (long)n + 1);
        return new SynthesizedPage<T>(items, next, claimed, n);
    }

    /// <summary>How many items of the real list <see cref="Synthesize"/> may need.</summary>
    public static int HeadSize(int size) => 2 * Math.Clamp(size, 1, MaxSynthesizedPage);
}

/// <summary>A made-up page: its items, the next page index it announces, the total it claims and its size.</summary>
internal sealed record SynthesizedPage<T>(List<T> Items, long NextPage, long ClaimedTotal, int Size);
