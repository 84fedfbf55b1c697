using System.Runtime.CompilerServices;

// Tests reach the loading fix's ELF code directly (crafted libraries, loader messages); the autograd
// benchmark times the mixers' custom autograd functions against their alternatives.
[assembly: InternalsVisibleTo("Composer.Runtime.Tests")]
[assembly: InternalsVisibleTo("Composer.Bench.Autograd")]
