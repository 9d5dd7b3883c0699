using System;
using System.Management.Automation;

namespace ProfileJobs.Infrastructure
{
    /// <summary>
    /// Writes listed items to the pipeline as they stream in, honouring -Skip and -First; <see cref="Accept"/> returns
    /// false once -First is satisfied, so the lister stops requesting pages, unless -IncludeTotalCount asks for an
    /// exact count, which needs the whole listing.
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

        /// <summary>Called on the lister's thread for each item; the write itself happens on the pipeline thread.</summary>
        public bool Accept(T item)
        {
            if (_filter != null && !_filter(item)) return true;
            if (Matched++ < _paging.Skip) return true;
            if (Written >= _paging.First) return _paging.IncludeTotalCount;
            Written++;
            _cmdlet.Post(() => _cmdlet.WriteObject(item));
            return Written < _paging.First || _paging.IncludeTotalCount;
        }

        /// <summary>With -IncludeTotalCount, writes the count after the items; exact unless the listing failed part way.</summary>
        public void WriteTotalCount(bool listingComplete)
        {
            if (_paging.IncludeTotalCount) _cmdlet.WriteObject(_paging.NewTotalCount(Matched, listingComplete ? 1.0 : 0.0));
        }
    }
}
