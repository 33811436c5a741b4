using System.Globalization;

namespace NetLab.Protocols.Text;

/// <summary>Durations as every NetLab program's flags write them, the dnsmasq/Kea way: 500ms, 30s, 10m, 1h,
/// 2d, 1w, or a plain number of seconds. One parser, so --lease-time, --timeout and --idle-timeout agree.</summary>
public static class DurationText
{
    /// <summary>Longer than any lease or timeout a lab needs, short enough that no arithmetic overflows.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    private static readonly (string Suffix, double Seconds)[] Units =
        [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800), ("", 1)];

    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>On failure, <paramref name="error"/> says what was wrong and shows good values.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        string value = (text ?? "").Trim().ToLowerInvariant();
        foreach (var (suffix, seconds) in Units)
        {
            if (value.Length > suffix.Length && value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
                && number * seconds <= Longest.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                error = null;
                return true;
            }
        }
        error = $"'{text}' is not a duration; use a number with a unit, e.g. 500ms, 10s, 5m, 1h or 2d";
        return false;
    }
}
