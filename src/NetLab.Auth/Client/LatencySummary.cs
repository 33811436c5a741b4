using System.Globalization;

namespace NetLab.Auth.Client;

/// <summary>Response times of many requests summarised like ping's last lines: min, mean, percentiles
/// (nearest rank), max and the request rate over the wall-clock time of the run.</summary>
public sealed record LatencySummary(int Count, int Failures, TimeSpan Min, TimeSpan Mean, TimeSpan P50, TimeSpan P90,
    TimeSpan P99, TimeSpan Max, TimeSpan WallTime)
{
    public double RequestsPerSecond => WallTime > TimeSpan.Zero ? Count / WallTime.TotalSeconds : 0;

    public static LatencySummary From(IReadOnlyCollection<TimeSpan> samples, int failures, TimeSpan wallTime)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, failures, default, default, default, default, default, default, wallTime);
        }
        var sorted = samples.Order().ToArray();
        return new LatencySummary(sorted.Length, failures, sorted[0],
            TimeSpan.FromTicks((long)sorted.Average(s => s.Ticks)),
            Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted[^1], wallTime);
    }

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.</summary>
    public static TimeSpan Percentile(TimeSpan[] sorted, double p)
    {
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} requests, {Failures} failed, {WallTime.TotalSeconds:0.000} s, {Rate(RequestsPerSecond)} requests/s\n"
        + $"rtt min/mean/p50/p90/p99/max = {Ms(Min)}/{Ms(Mean)}/{Ms(P50)}/{Ms(P90)}/{Ms(P99)}/{Ms(Max)} ms");

    /// <summary>Three significant digits for small rates (PBKDF2-bound logins), whole numbers above.</summary>
    private static string Rate(double perSecond) =>
        perSecond.ToString(perSecond < 10 ? "0.00" : perSecond < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);
}
