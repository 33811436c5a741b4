using System.Runtime;
using NetLab.Sniffer.Reporting;
using NetLab.Testing;

namespace NetLab.Sniffer.Tests;

/// <summary>A whole file read through <see cref="SnifferSession"/>, in this process.</summary>
public sealed class SessionTests
{
    private static async Task<(int Status, string Output)> ReadAsync(string capture, bool quiet)
    {
        var output = new StringWriter();
        var session = new SnifferSession(new SnifferOptions
        {
            ReadFile = Path.Combine(Repo.TcpdumpCaptures, capture),
            Quiet = quiet,
            Report = ReportFormat.Json,
        }, output, TextWriter.Null);
        int status = await session.RunAsync(CancellationToken.None);
        return (status, output.ToString());
    }

    [Theory]
    [InlineData("dhcp-rfc3004.pcap")]
    [InlineData("dns_tcp.pcap")]
    public async Task QuietRead_ReportsWhatAPrintingReadReports_AndLeavesTheNoGcRegion(string capture)
    {
        var (printingStatus, printing) = await ReadAsync(capture, quiet: false);
        var (quietStatus, quiet) = await ReadAsync(capture, quiet: true);
        Assert.Equal((SnifferExitCode.Success, SnifferExitCode.Success), (printingStatus, quietStatus));
        // The printing read's output is its frame lines followed by the same JSON report.
        Assert.StartsWith("{", quiet, StringComparison.Ordinal);
        Assert.EndsWith(quiet, printing, StringComparison.Ordinal);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
