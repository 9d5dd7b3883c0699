using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace ProfileJobs.CommandSupport
{
    /// <summary>
    /// Writes listed items to the pipeline page by page as they stream in, honouring -Skip and -First;
    /// <see cref="AcceptPage"/> returns false once -First is satisfied, so the lister stops requesting pages, unless
    /// -IncludeTotalCount asks for an exact count, which needs the whole listing.
    /// </summary>
    internal sealed class PagedOutput<T>
    {
        private readonly PlatformCmdlet _cmdlet;
        private readonly PagingParameters _paging;
        private readonly Func<T, bool>? _filter;

        public PagedOutput(PlatformCmdlet cmdlet, PagingParameters paging, Func<T, bool>? filter = null)
        {
            _cmdlet = cmdlet;
            _paging = paging;
            _filter = filter;
        }

        /// <summary>Items that passed the filter, skipped ones included.</summary>
        public ulong Matched { get; private set; }

        public ulong Written { get; private set; }

        /// <summary>Called on the lister's thread for each page; the writes happen on the pipeline thread, in one hand-off.</summary>
        public bool AcceptPage(IReadOnlyList<T> page)
        {
            IReadOnlyList<T> accepted;
            if (_filter == null && Matched >= _paging.Skip && _paging.First - Written >= (ulong)page.Count)
            {
                // Nothing to leave out (no filter, -Skip done, -First not reached by this page): the page itself is written.
                accepted = page;
                Matched += (ulong)page.Count;
                Written += (ulong)page.Count;
            }
            else
            {
                var kept = new List<T>(page.Count);
                foreach (var item in page)
                {
                    if (_filter != null && !_filter(item)) continue;
                    if (Matched++ < _paging.Skip) continue;
                    if (Written >= _paging.First) continue;
                    Written++;
                    kept.Add(item);
                }
                accepted = kept;
            }
            if (accepted.Count > 0)
            {
                OnWrite?.Invoke(accepted);
                _cmdlet.Post(() =>
                {
                    for (var i = 0; i < accepted.Count; i++) _cmdlet.WriteObject(accepted[i]);
                });
            }
            return Written < _paging.First || _paging.IncludeTotalCount;
        }

        /// <summary>Told about every item written, on the lister's thread (argument completion records job ids).</summary>
        public Action<IReadOnlyList<T>>? OnWrite { get; set; }

        /// <summary>
        /// With -IncludeTotalCount, writes the count after the items: exact (Accuracy 1) unless the listing failed part way
        /// (0, unknown) or the API shows only part of what exists (<paramref name="lowerBound"/>: 0.5, "estimated", an at-least count).
        /// </summary>
        public void WriteTotalCount(bool listingComplete, bool lowerBound = false)
        {
            if (_paging.IncludeTotalCount) _cmdlet.WriteObject(_paging.NewTotalCount(Matched, !listingComplete ? 0.0 : lowerBound ? 0.5 : 1.0));
        }
    }
}
