namespace NetLab.Dns.Zones;

/// <summary>A master file that cannot be loaded; the message names the file, the line and the problem.</summary>
public sealed class ZoneFileException : Exception
{
    public ZoneFileException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public ZoneFileException()
    {
        File = "";
        Problem = "";
    }

    public ZoneFileException(string message)
        : base(message)
    {
        File = "";
        Problem = message;
    }

    public ZoneFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Problem = message;
    }

    public string File { get; }
    public int Line { get; }
    public string Problem { get; }
}
