using System.Collections.Generic;
using System.Globalization;

namespace ProfileJobs.Paging
{
    /// <summary>
    /// Bounds a listing that follows the server's word that another page exists: a page that starts with an item an
    /// earlier page started with, a next-page cursor announced before, or more than <see cref="MaxPages"/> pages end
    /// it with <see cref="PlatformErrorKind.InvalidResponse"/>. One guard per listing.
    /// </summary>
    internal sealed class PageGuard
    {
        /// <summary>Most pages one listing reads (documented in README, "Paging").</summary>
        public const int DefaultMaxPages = 1000;

        private const int MaxQuotedCursor = 80;

        private readonly string _list;
        private readonly string _item;
        private readonly int _maxPages;
        private readonly Dictionary<string, int> _firstItems = new Dictionary<string, int>();
        private readonly Dictionary<string, int> _cursors = new Dictionary<string, int>();

        /// <param name="list">What is listed, for messages: "the job list".</param>
        /// <param name="item">What one item is, for messages: "job".</param>
        /// <param name="maxPages">Most pages to read; lookups that need fewer pass their own bound.</param>
        public PageGuard(string list, string item, int maxPages = DefaultMaxPages)
        {
            _list = list;
            _item = item;
            _maxPages = maxPages;
        }

        /// <summary>Before a page's items are used: refuses a page whose first item began an earlier page.</summary>
        public void CheckContent(int page, string? firstItemId, string? requestId)
        {
            if (firstItemId == null) return;
            if (_firstItems.TryGetValue(firstItemId, out var earlier))
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                    $"Page {page + 1} of {_list} starts with {_item} '{firstItemId}', as page {earlier + 1} did: the platform repeats pages instead of paging, so the listing stopped here.",
                    requestId: requestId);
            }
            _firstItems[firstItemId] = page;
        }

        /// <summary>
        /// When the server says another page follows <paramref name="page"/>: refuses a cursor it announced before and
        /// a page beyond the bound.
        /// </summary>
        public void CheckNext(int page, string? nextCursor, string? requestId)
        {
            if (nextCursor != null)
            {
                if (_cursors.TryGetValue(nextCursor, out var earlier))
                {
                    throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                        $"Page {page + 1} of {_list} announces the next page as '{Quote(nextCursor)}', as page {earlier + 1} did: the platform's paging goes round in a circle, so the listing stopped here.",
                        requestId: requestId);
                }
                _cursors[nextCursor] = page;
            }
            if (page + 1 >= _maxPages)
            {
                throw new PlatformApiException(PlatformErrorKind.InvalidResponse,
                    string.Format(CultureInfo.InvariantCulture,
                        "The platform still announced another page of {0} after {1:N0} pages, the most one listing reads, so the listing stopped here.",
                        _list, _maxPages),
                    requestId: requestId);
            }
        }

        private static string Quote(string cursor) =>
            cursor.Length <= MaxQuotedCursor ? cursor : cursor.Substring(0, MaxQuotedCursor) + "...";
    }
}
