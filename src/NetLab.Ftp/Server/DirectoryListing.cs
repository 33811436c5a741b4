using System.Globalization;
using System.Text;

namespace NetLab.Ftp.Server;

/// <summary>Formats directory entries for LIST (the "ls -l" layout every client parses), NLST (names)
/// and MLSD/MLST (RFC 3659 section 7 facts).</summary>
public static class DirectoryListing
{
    public static string LongLine(FileSystemInfo entry, DateTime nowUtc)
    {
        bool isDirectory = entry is DirectoryInfo;
        long size = entry is FileInfo file ? file.Length : 4096;
        DateTime modified = entry.LastWriteTimeUtc;
        // ls shows the time for recent files and the year for anything older than six months.
        string date = Math.Abs((nowUtc - modified).TotalDays) < 180
            ? modified.ToString("MMM dd HH:mm", CultureInfo.InvariantCulture)
            : modified.ToString("MMM dd  yyyy", CultureInfo.InvariantCulture);
        return $"{Mode(entry, isDirectory)} 1 ftp ftp {size,12} {date} {entry.Name}";
    }

    /// <summary>MLSD/MLST facts followed by a space and the name (RFC 3659 7.2).</summary>
    public static string Facts(FileSystemInfo entry, bool canWrite, string? name = null)
    {
        var facts = new StringBuilder();
        if (entry is FileInfo file)
        {
            facts.Append("type=file;size=").Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append(';');
            facts.Append("perm=r").Append(canWrite ? "adfw" : "").Append(';');
        }
        else
        {
            facts.Append("type=dir;perm=el").Append(canWrite ? "cmpf" : "").Append(';');
        }
        facts.Append("modify=").Append(Timestamp(entry.LastWriteTimeUtc)).Append(';');
        facts.Append(' ').Append(name ?? entry.Name);
        return facts.ToString();
    }

    /// <summary>YYYYMMDDHHMMSS in UTC (RFC 3659 2.3), as MDTM and the modify fact use.</summary>
    public static string Timestamp(DateTime utc) => utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>The entries of a directory sorted by name, or the entry itself for a file.</summary>
    public static IEnumerable<FileSystemInfo> Entries(string realPath)
    {
        if (File.Exists(realPath))
        {
            return [new FileInfo(realPath)];
        }
        return new DirectoryInfo(realPath).EnumerateFileSystemInfos()
            .Where(e => e.Exists)
            .OrderBy(e => e.Name, StringComparer.Ordinal);
    }

    private static string Mode(FileSystemInfo entry, bool isDirectory)
    {
        var mode = entry.UnixFileMode;
        Span<char> text = stackalloc char[10];
        text[0] = isDirectory ? 'd' : '-';
        ReadOnlySpan<(UnixFileMode Bit, char Letter)> bits =
        [
            (UnixFileMode.UserRead, 'r'), (UnixFileMode.UserWrite, 'w'), (UnixFileMode.UserExecute, 'x'),
            (UnixFileMode.GroupRead, 'r'), (UnixFileMode.GroupWrite, 'w'), (UnixFileMode.GroupExecute, 'x'),
            (UnixFileMode.OtherRead, 'r'), (UnixFileMode.OtherWrite, 'w'), (UnixFileMode.OtherExecute, 'x'),
        ];
        for (int i = 0; i < bits.Length; i++)
        {
            text[i + 1] = (mode & bits[i].Bit) != 0 ? bits[i].Letter : '-';
        }
        return new string(text);
    }
}
