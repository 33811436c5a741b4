namespace NetLab.Testing;

/// <summary>The lab zone the DNS tests serve from dns-server, NSD and Knot alike: every record type of the codec,
/// a CNAME chain, a delegation with glue, an empty non-terminal, and an RRset too big for one UDP answer.</summary>
public static class DnsTestZones
{
    public const string Origin = "lab.test";

    public static string LabZone { get; } = BuildLabZone();

    /// <summary>Writes the zone to <c>dir/lab.test.zone</c> and returns the path.</summary>
    public static string WriteLabZone(string dir)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "lab.test.zone");
        File.WriteAllText(path, LabZone);
        return path;
    }

    /// <summary>A fresh directory under /tmp removed by the caller (tests delete it in Dispose).</summary>
    public static string NewTempDir(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"netlab-{prefix}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string BuildLabZone()
    {
        var zone = new System.Text.StringBuilder("""
            $ORIGIN lab.test.
            $TTL 3600
            @       IN SOA  ns1 hostmaster (
                            2026112101 ; serial
                            2h         ; refresh
                            15m        ; retry
                            2w         ; expire
                            300 )      ; negative TTL
                    IN NS   ns1
                    IN MX   10 mail
                    IN TXT  "v=spf1 -all" "second string"
            ns1     IN A    192.168.10.1
            mail    300 IN A 192.168.10.2
            ftp     IN A    192.168.10.1
                    IN AAAA fd00:10::1
            www     IN CNAME ftp
            alias   IN CNAME www
            ext     IN CNAME www.example.org.
            _ftp._tcp IN SRV 0 5 21 ftp
            1.10.168.192 IN PTR ftp.lab.test.
            caa     IN TYPE257 \# 18 0005697373756563612e6c61622e74657374
            a.b.c   IN A    192.168.10.9
            sub     IN NS   ns.sub
            ns.sub  IN A    192.168.10.53

            """);
        // 20 x 200 bytes: over the 1232-byte EDNS0 limit, so UDP answers are truncated and clients retry over TCP.
        for (int i = 0; i < 20; i++)
        {
            zone.Append("big IN TXT \"").Append(i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).Append(new string('x', 198)).Append("\"\n");
        }
        return zone.ToString().Replace("\r", "", StringComparison.Ordinal);
    }
}
