using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

public static class AlertKinds
{
    public const string ArpSpoofing = "arp-spoofing";
    public const string GratuitousArpFlood = "gratuitous-arp-flood";
    public const string RogueDhcp = "rogue-dhcp";
    public const string ForgedDnsAnswer = "forged-dns-answer";
    public const string DnsAnswerFromUnaskedServer = "dns-answer-from-unasked-server";
    public const string ClearTextCredentials = "clear-text-credentials";
}

/// <summary>Collects alerts, one row per distinct (kind, key) with a count of repeats (the first occurrence's message), and tells the caller
/// when an alert is new so it can be printed as it happens.</summary>
public sealed class AlertLog
{
    private readonly Dictionary<(string Kind, string Key), int> _index = [];
    private readonly List<AlertRow> _rows = [];

    public event Action<AlertRow>? Raised;

    public IReadOnlyList<AlertRow> Rows => _rows;

    /// <summary>Counts one more occurrence of the alert (kind, key) when it is already known. A detector that sees
    /// the same alert on every session (a clear-text login) asks this first and builds its message only when false.</summary>
    public bool TryRepeat(string kind, string key)
    {
        if (!_index.TryGetValue((kind, key), out int at))
        {
            return false;
        }
        _rows[at] = _rows[at] with { Occurrences = _rows[at].Occurrences + 1 };
        return true;
    }

    public void Raise(string kind, string severity, string key, DateTimeOffset time, long frame, string message)
    {
        if (TryRepeat(kind, key))
        {
            return;
        }
        var row = new AlertRow(kind, severity, time, frame, message, 1);
        _index[(kind, key)] = _rows.Count;
        _rows.Add(row);
        Raised?.Invoke(row);
    }
}
