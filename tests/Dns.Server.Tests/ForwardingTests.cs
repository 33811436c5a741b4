using NetLab.Testing;

namespace Dns.Server.Tests;

/// <summary>dns-server forwarding to a real Unbound upstream on loopback, then answering from its cache once the
/// upstream is gone.</summary>
public sealed class ForwardingTests
{
    [ToolFact("unbound", "dig")]
    public void ForwardsToUnbound_ThenAnswersFromCacheWithoutIt()
    {
        string dir = DnsTestZones.NewTempDir("fwd");
        try
        {
            var unbound = DnsReferenceServer.StartUnbound("example.org",
            [
                "example.org. 300 IN SOA ns.example.org. hostmaster.example.org. 1 3600 900 604800 120",
                "www.example.org. 300 IN A 192.0.2.80",
            ]);
            using var server = DnsServerProcess.Start("--zone", "lab.test=" + DnsTestZones.WriteLabZone(dir),
                "--forward", $"127.0.0.1:{unbound.Port}", "--log-level", "Debug");
            try
            {
                string first = Dig.Run("dig", server.Port, "www.example.org", "A");
                Assert.Equal("NOERROR", Dig.Status(first));
                Assert.Matches(@"flags: qr rd ra;", first);
                Assert.Matches(@"(?m)^www\.example\.org\.\s+300\s+IN\s+A\s+192\.0\.2\.80", first);
                string missing = Dig.Run("dig", server.Port, "nope.example.org", "A");
                Assert.Equal("NXDOMAIN", Dig.Status(missing));
                // Authoritative data is still ours, with or without forwarders.
                Assert.Matches(@"flags: qr aa rd ra;", Dig.Run("dig", server.Port, "ftp.lab.test", "A"));
            }
            finally
            {
                unbound.Dispose();
            }

            string cached = Dig.Run("dig", server.Port, "www.example.org", "A");
            Assert.Equal("NOERROR", Dig.Status(cached));
            Assert.Matches(@"(?m)^www\.example\.org\.\s+(2\d\d|300)\s+IN\s+A\s+192\.0\.2\.80", cached);
            // RFC 2308: the NXDOMAIN is remembered for min(SOA TTL, MINIMUM) = 120 s.
            Assert.Equal("NXDOMAIN", Dig.Status(Dig.Run("dig", server.Port, "nope.example.org", "A")));
            string counters = server.Counters();
            Assert.Contains("cache_hits=2", counters, StringComparison.Ordinal);
            Assert.Contains("forwarded=2", counters, StringComparison.Ordinal);
            Assert.Matches(@"udp id=\d+ www\.example\.org\. IN A -> NoError answers=1 from=cache", server.Process.Output);

            // A name never seen needs the upstream, which is gone: SERVFAIL after the forward timeout.
            Assert.Equal("SERVFAIL", Dig.Status(Dig.Run("dig", server.Port, "+tries=1", "+time=5", "other.example.org", "A")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [ToolFact("dig")]
    public void ClientOutsideAllowRecursion_IsRefused()
    {
        // Loopback is not allowed here, so even with a forwarder the query is refused (never an open resolver).
        using var server = DnsServerProcess.Start("--record", "ftp.lab.test A 192.168.10.1", "--forward", "127.0.0.1:9",
            "--allow-recursion", "192.168.10.0/24");
        string output = Dig.Run("dig", server.Port, "www.example.org", "A");
        Assert.Equal("REFUSED", Dig.Status(output));
        Assert.Matches(@"(?m)^ftp\.lab\.test\.\s+3600\s+IN\s+A\s+192\.168\.10\.1", Dig.Run("dig", server.Port, "ftp.lab.test", "A"));
        Assert.Contains("refused_recursion=1", server.Counters(), StringComparison.Ordinal);
    }
}
