using NetLab.Testing;

namespace Dns.Server.Tests;

/// <summary>The same zone file in NSD and in dns-server gives the same rcode, answer and authority sections.</summary>
public sealed class NsdComparisonTests
{
    public static TheoryData<string, string> Queries => new()
    {
        { "lab.test", "SOA" }, { "lab.test", "NS" }, { "lab.test", "MX" }, { "lab.test", "TXT" }, { "LAB.TEST", "A" },
        { "ftp.lab.test", "A" }, { "ftp.lab.test", "AAAA" }, { "ftp.lab.test", "MX" }, { "Ftp.Lab.Test", "ANY" }, { "lab.test", "ANY" },
        { "www.lab.test", "A" }, { "www.lab.test", "CNAME" }, { "alias.lab.test", "AAAA" }, { "ext.lab.test", "A" },
        { "_ftp._tcp.lab.test", "SRV" }, { "1.10.168.192.lab.test", "PTR" }, { "caa.lab.test", "CAA" },
        { "a.b.c.lab.test", "A" }, { "b.c.lab.test", "A" }, { "c.lab.test", "TXT" },
        { "nope.lab.test", "A" }, { "deep.nope.lab.test", "TXT" },
        { "sub.lab.test", "A" }, { "x.sub.lab.test", "AAAA" }, { "ns.sub.lab.test", "A" },
        { "big.lab.test", "TXT" }, { "mail.lab.test", "A" }, { "ns1.lab.test", "AAAA" },
    };

    [ToolFact("nsd", "dig")]
    public void SameAnswersAsNsd()
    {
        string dir = DnsTestZones.NewTempDir("cmp");
        try
        {
            using var nsd = DnsReferenceServer.StartNsd("lab.test", DnsTestZones.LabZone);
            using var ours = DnsServerProcess.Start("--zone", "lab.test=" + DnsTestZones.WriteLabZone(dir));
            var differences = new List<string>();
            foreach (var row in Queries)
            {
                string name = (string)row[0], type = (string)row[1];
                string[] args = ["+norec", "+tcp", "+noall", "+comments", "+answer", "+authority", name, type];
                string expected = Summary(Dig.Run("dig", nsd.Port, args));
                string actual = Summary(Dig.Run("dig", ours.Port, args));
                if (type == "ANY")
                {
                    // RFC 8482: NSD answers ANY with one RRset; dns-server gives them all. NSD's must be among ours.
                    var nsdRecords = Dig.Records(Dig.Run("dig", nsd.Port, args));
                    var ourRecords = Dig.Records(Dig.Run("dig", ours.Port, args));
                    Assert.NotEmpty(nsdRecords);
                    Assert.Subset(ourRecords.ToHashSet(), nsdRecords.ToHashSet());
                    continue;
                }
                if (expected != actual)
                {
                    differences.Add($"{name} {type}:\n  nsd:        {expected}\n  dns-server: {actual}");
                }
            }
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Status, the AA flag and the sorted records (answer then authority, as dig printed them).</summary>
    private static string Summary(string output)
    {
        bool authoritative = System.Text.RegularExpressions.Regex.IsMatch(output, @"flags:[^;]*\baa\b");
        return $"{Dig.Status(output)} aa={authoritative} | {string.Join(" | ", Dig.Records(output))}";
    }
}
