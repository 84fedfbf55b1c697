using System.CommandLine;
using System.Linq;

namespace Composer.Cli;

/// <summary><c>summary</c>: the declared architecture of one model or of all of them.</summary>
internal static class SummaryCommand
{
    public static Command Create(CliOptions o, CommandContext context)
    {
        var command = new Command("summary", "Show the declared architecture: settings, layers, mixers, parameter counts.") { o.Model };
        command.SetAction(parse => context.Guard(() =>
        {
            var name = parse.GetValue(o.Model);
            var entries = name is null ? context.Models : new[] { Session.SelectModel(context.Models, name) }.ToList();
            foreach (var entry in entries) context.Output.WriteLine(ModelSummary.Format(entry.Description));
            return ExitCodes.Success;
        }));
        return command;
    }
}
