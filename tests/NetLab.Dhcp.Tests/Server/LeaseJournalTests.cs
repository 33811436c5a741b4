using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Tests.Server;

public sealed class LeaseJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netlab-journal-" + Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(_directory, "leases.jsonl");

    private static Lease Sample(int host, LeaseState state = LeaseState.Active, long expires = 1795000000) =>
        new(new IPv4Address(192, 168, 10, (byte)host), new MacAddress(0x0200_0000_0000UL + (ulong)host), [1, 2, 0, 0, 0, 0, (byte)host],
            $"client{host}", DateTimeOffset.FromUnixTimeSeconds(expires), state);

    [Fact]
    public void Serialize_MatchesTheContractFormat()
    {
        string line = System.Text.Encoding.UTF8.GetString(LeaseJournal.Serialize(Sample(100)));
        Assert.Equal("""{"ip":"192.168.10.100","mac":"02:00:00:00:00:64","client_id":"01020000000064","hostname":"client100","expires":1795000000,"state":"active"}""", line);
        var anonymous = Sample(5) with { ClientId = null, HostName = null, State = LeaseState.Declined };
        Assert.Contains("\"client_id\":null,\"hostname\":null", System.Text.Encoding.UTF8.GetString(LeaseJournal.Serialize(anonymous)), StringComparison.Ordinal);
    }

    [Fact]
    public void CommittedRecords_ReplayWithLastLinePerAddressWinning()
    {
        using (var journal = LeaseJournal.Open(FilePath, out var empty, out _))
        {
            Assert.Empty(empty);
            journal.Append(Sample(100));
            journal.Append(Sample(101));
            journal.Append(Sample(100, LeaseState.Released));
            journal.Commit();
        }
        var leases = LeaseJournal.Load(FilePath, out int skipped, out int lines);
        Assert.Equal(0, skipped);
        Assert.Equal(3, lines);
        Assert.Equal(LeaseState.Released, leases[new IPv4Address(192, 168, 10, 100)].State);
        var other = leases[new IPv4Address(192, 168, 10, 101)];
        Assert.Equal(Sample(101).ClientIdHex, other.ClientIdHex);
        Assert.Equal("client101", other.HostName);
        Assert.Equal(Sample(101).Expires, other.Expires);
    }

    [Fact]
    public void Commit_WritesToDiskBeforeReturning()
    {
        using var journal = LeaseJournal.Open(FilePath, out _, out _);
        journal.Append(Sample(7));
        Assert.Empty(LeaseJournal.Load(FilePath, out _, out _));
        journal.Commit();
        // Another reader sees the record while the journal is still open (what a crash right after would leave).
        Assert.Single(LeaseJournal.Load(FilePath, out _, out _));
    }

    [Fact]
    public void TornLastLine_IsSkippedAndCounted()
    {
        using (var journal = LeaseJournal.Open(FilePath, out _, out _))
        {
            journal.Append(Sample(1));
            journal.Commit();
        }
        File.AppendAllText(FilePath, "{\"ip\":\"192.168.10.2\",\"mac\":\"02:00");
        using var reopened = LeaseJournal.Open(FilePath, out var leases, out int skipped);
        Assert.Single(leases);
        Assert.Equal(1, skipped);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"ip":"300.1.1.1","mac":"02:00:00:00:00:01","expires":1,"state":"active"}""")]
    [InlineData("""{"ip":"192.168.10.1","mac":"zz","expires":1,"state":"active"}""")]
    [InlineData("""{"ip":"192.168.10.1","mac":"02:00:00:00:00:01","expires":1,"state":"bogus"}""")]
    [InlineData("""{"ip":"192.168.10.1","mac":"02:00:00:00:00:01","client_id":"abc","expires":1,"state":"active"}""")]
    [InlineData("""{"ip":"192.168.10.1","mac":"02:00:00:00:00:01","state":"active"}""")]
    public void TryParseLine_RejectsBadRecords(string line) => Assert.False(LeaseJournal.TryParseLine(line, out _));

    [Fact]
    public void Compact_KeepsOneLinePerAddress_AndAppendsContinueAfterwards()
    {
        using var journal = LeaseJournal.Open(FilePath, out _, out _);
        for (int i = 0; i < 50; i++)
        {
            journal.Append(Sample(100 + (i % 5), expires: 1795000000 + i));
        }
        journal.Commit();
        var current = LeaseJournal.Load(FilePath, out _, out int before);
        Assert.Equal(50, before);

        journal.Compact(current.Values);
        journal.Append(Sample(200));
        journal.Commit();

        var after = LeaseJournal.Load(FilePath, out _, out int lines);
        Assert.Equal(6, lines);
        Assert.Equal(6, after.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795000049), after[new IPv4Address(192, 168, 10, 104)].Expires);
        Assert.False(File.Exists(FilePath + ".tmp"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
