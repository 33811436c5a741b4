using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Follows FTP control connections: who logged in, how many commands, which files moved
/// (RFC 959: RETR/STOR/STOU/APPE, completed by a 226 or 250 reply). PASS raises a clear-text alert
/// that names the user but never the password.</summary>
public sealed class FtpTracker(AlertLog alerts)
{
    private readonly Dictionary<(NetAddress, ushort, NetAddress, ushort), Session> _sessions = [];
    private readonly List<Session> _ordered = [];

    public void Observe(DecodedFrame frame)
    {
        if (frame.Ftp is not { } lines || frame.SourceIp is not { } src || frame.DestinationIp is not { } dst)
        {
            return;
        }
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var session = line.IsCommand
                ? Get((src, frame.SourcePort, dst, frame.DestinationPort))
                : Get((dst, frame.DestinationPort, src, frame.SourcePort));
            if (line.IsCommand)
            {
                OnCommand(frame, session, line);
            }
            else
            {
                OnReply(session, line);
            }
        }
    }

    public int Count => _ordered.Count;

    public IReadOnlyList<FtpSessionRow> Rows(int max = int.MaxValue)
    {
        var rows = new List<FtpSessionRow>();
        for (int i = 0; i < Math.Min(max, _ordered.Count); i++)
        {
            var s = _ordered[i];
            rows.Add(new FtpSessionRow(Endpoint(s.Client), Endpoint(s.Server), s.User, s.PasswordInClear, s.Commands, s.LoggedIn, new List<FtpTransferRow>(s.Files)));
        }
        return rows;
    }

    private Session Get((NetAddress Client, ushort ClientPort, NetAddress Server, ushort ServerPort) key)
    {
        if (!_sessions.TryGetValue(key, out var session))
        {
            session = new Session((key.Client, key.ClientPort), (key.Server, key.ServerPort));
            _sessions[key] = session;
            _ordered.Add(session);
        }
        return session;
    }

    private static string Endpoint((NetAddress Address, ushort Port) endpoint) => endpoint.Address.WithPort(endpoint.Port);

    private void OnCommand(DecodedFrame frame, Session session, FtpFacts line)
    {
        session.Commands++;
        switch (line.Verb)
        {
            case "USER":
                session.User = line.Argument;
                break;
            case "PASS":
                session.PasswordInClear = true;
                string key = $"ftp {Endpoint(session.Server)} {session.User}";
                if (!alerts.TryRepeat(AlertKinds.ClearTextCredentials, key))
                {
                    alerts.Raise(AlertKinds.ClearTextCredentials, "high", key, frame.Timestamp, frame.Number,
                        $"FTP password for user '{session.User ?? "?"}' sent in clear from {Endpoint(session.Client)} to {Endpoint(session.Server)} (PASS ****)");
                }
                break;
            case "RETR":
                session.Pending = new FtpTransferRow("RETR", line.Argument, "download", false);
                break;
            case "STOR" or "STOU" or "APPE":
                session.Pending = new FtpTransferRow(line.Verb, line.Argument, "upload", false);
                break;
            default:
                break;
        }
    }

    private static void OnReply(Session session, FtpFacts line)
    {
        if (line.Code == 230)
        {
            session.LoggedIn = true;
        }
        if (session.Pending is { } pending && line.Code is 226 or 250)
        {
            session.Files.Add(pending with { Completed = true });
            session.Pending = null;
        }
        else if (session.Pending is { } failed && line.Code >= 400)
        {
            session.Files.Add(failed);
            session.Pending = null;
        }
    }

    /// <summary>Endpoints are kept as values and written out only for the report rows.</summary>
    private sealed class Session((NetAddress, ushort) client, (NetAddress, ushort) server)
    {
        public (NetAddress Address, ushort Port) Client { get; } = client;
        public (NetAddress Address, ushort Port) Server { get; } = server;
        public string? User { get; set; }
        public bool PasswordInClear { get; set; }
        public bool LoggedIn { get; set; }
        public long Commands { get; set; }
        public FtpTransferRow? Pending { get; set; }
        public List<FtpTransferRow> Files { get; } = [];
    }
}
