using NetLab.Auth;
using NetLab.Auth.Client;

namespace NetLab.Auth.Tests.Client;

public class LatencySummaryTests
{
    [Fact]
    public void From_OneToHundredMs_NearestRankPercentiles()
    {
        var samples = Enumerable.Range(1, 100).Reverse().Select(ms => TimeSpan.FromMilliseconds(ms)).ToList();

        var summary = LatencySummary.From(samples, failures: 2, TimeSpan.FromSeconds(4));

        Assert.Equal(100, summary.Count);
        Assert.Equal(2, summary.Failures);
        Assert.Equal(TimeSpan.FromMilliseconds(1), summary.Min);
        Assert.Equal(TimeSpan.FromMilliseconds(50.5), summary.Mean);
        Assert.Equal(TimeSpan.FromMilliseconds(50), summary.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(90), summary.P90);
        Assert.Equal(TimeSpan.FromMilliseconds(99), summary.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(100), summary.Max);
        Assert.Equal(25, summary.RequestsPerSecond);
        Assert.Contains("rtt min/mean/p50/p90/p99/max = 1.000/50.500/50.000/90.000/99.000/100.000 ms", summary.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_OneSample_AllPercentilesThatSample()
    {
        var summary = LatencySummary.From([TimeSpan.FromMilliseconds(3)], 0, TimeSpan.FromMilliseconds(3));
        Assert.Equal(TimeSpan.FromMilliseconds(3), summary.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(3), summary.P50);
    }

    [Fact]
    public void From_NoSamples_ZeroCount()
    {
        var summary = LatencySummary.From([], 5, TimeSpan.FromSeconds(1));
        Assert.Equal(0, summary.Count);
        Assert.Equal(5, summary.Failures);
    }

    [Theory]
    [InlineData("127.0.0.1:12345", "127.0.0.1", 12345)]
    [InlineData("auth.lab.test", "auth.lab.test", 12345)]
    [InlineData("[::1]:999", "::1", 999)]
    [InlineData("[::1]", "::1", 12345)]
    public void HostPort_Parses(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, 12345, out string parsedHost, out int parsedPort, out _));
        Assert.Equal(host, parsedHost);
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:http")]
    [InlineData("[::1:80")]
    public void HostPort_BadPort_Error(string text)
    {
        Assert.False(HostPort.TryParse(text, 12345, out _, out _, out string? error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }
}
