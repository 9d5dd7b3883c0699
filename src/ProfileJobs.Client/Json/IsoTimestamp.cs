using System;
using System.Globalization;

namespace ProfileJobs.Json
{
    /// <summary>
    /// The platform's timestamps as the client reads them: <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
    /// with the invariant culture, a missing offset taken as UTC, and the result in UTC. <see cref="TryParseUtf8"/> reads
    /// the common ISO 8601 form straight from the answer's bytes and gives the same value; anything else it leaves to
    /// <see cref="Parse"/>.
    /// </summary>
    internal static class IsoTimestamp
    {
        private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

        private static readonly int[] DaysBeforeMonth = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 };

        /// <summary>The reference reading: null when the text is not a time.</summary>
        public static DateTimeOffset? Parse(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Styles, out var value) ? value : (DateTimeOffset?)null;

        /// <summary>
        /// <c>yyyy-MM-ddTHH:mm:ss</c>, then 1 to 7 fraction digits, then <c>Z</c>, <c>±HH:mm</c> or nothing (UTC), for years
        /// 2 to 9998. False for any other text (which <see cref="Parse"/> then reads), never a different value.
        /// </summary>
        public static bool TryParseUtf8(ReadOnlySpan<byte> text, out DateTimeOffset value)
        {
            value = default;
            if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
            if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day) ||
                !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)) return false;
            if (year < 2 || year > 9998 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
            var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            var daysInMonth = DaysBeforeMonth[month] - DaysBeforeMonth[month - 1] + (leap && month == 2 ? 1 : 0);
            if (day > daysInMonth) return false;

            var i = 19;
            long fraction = 0;
            if (i < text.Length && text[i] == '.')
            {
                i++;
                var digits = 0;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9')
                {
                    if (++digits > 7) return false;
                    fraction = fraction * 10 + (text[i] - '0');
                    i++;
                }
                if (digits == 0) return false;
                for (; digits < 7; digits++) fraction *= 10;
            }

            long offsetMinutes = 0;
            if (i < text.Length)
            {
                if (text[i] == 'Z')
                {
                    i++;
                }
                else if (text[i] == '+' || text[i] == '-')
                {
                    if (text.Length - i != 6 || text[i + 3] != ':' || !Digits(text, i + 1, 2, out var offsetHours) || !Digits(text, i + 4, 2, out var offsetMins)) return false;
                    if (offsetHours > 14 || offsetMins > 59 || (offsetHours == 14 && offsetMins != 0)) return false;
                    offsetMinutes = (offsetHours * 60 + offsetMins) * (text[i] == '-' ? -1 : 1);
                    i += 6;
                }
                else
                {
                    return false;
                }
            }
            if (i != text.Length) return false;

            var days = (year - 1) * 365L + (year - 1) / 4 - (year - 1) / 100 + (year - 1) / 400 + DaysBeforeMonth[month - 1] + (leap && month > 2 ? 1 : 0) + day - 1;
            var ticks = days * TimeSpan.TicksPerDay + hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction -
                        offsetMinutes * TimeSpan.TicksPerMinute;
            value = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
        {
            value = 0;
            for (var i = start; i < start + count; i++)
            {
                var digit = text[i] - '0';
                if (digit < 0 || digit > 9) return false;
                value = value * 10 + digit;
            }
            return true;
        }
    }
}
