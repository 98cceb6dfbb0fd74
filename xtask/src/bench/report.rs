//! What a benchmark found, once: figures with their budgets, printed to the
//! console as each benchmark ends and written to BENCHMARKS.md after a full
//! run.

use std::fmt::Write as _;

/// One benchmark's outcome.
#[derive(Debug, Clone)]
pub struct Section {
    /// A short title (`Bundle`, `Server: SSE agent streams`).
    pub title: &'static str,
    /// The command that runs this benchmark alone.
    pub command: &'static str,
    /// How it was measured, in a sentence or three of Markdown.
    pub method: String,
    pub figures: Vec<Figure>,
    /// More Markdown after the figures (the bundle's per-file table).
    pub detail: Option<String>,
    /// Why the benchmark has no figures, when it could not run.
    pub not_run: Option<String>,
}

impl Section {
    pub fn new(title: &'static str, command: &'static str, method: impl Into<String>) -> Self {
        Self {
            title,
            command,
            method: method.into(),
            figures: Vec::new(),
            detail: None,
            not_run: None,
        }
    }

    /// A section for a benchmark that failed to run, with the error.
    pub fn not_run(
        title: &'static str,
        command: &'static str,
        method: impl Into<String>,
        why: String,
    ) -> Self {
        Self {
            not_run: Some(why),
            ..Self::new(title, command, method)
        }
    }

    pub fn figure(mut self, figure: Figure) -> Self {
        self.figures.push(figure);
        self
    }

    pub fn detail(mut self, markdown: String) -> Self {
        self.detail = Some(markdown);
        self
    }

    /// The figures whose budget failed.
    fn failures(&self) -> impl Iterator<Item = (&Figure, &Budget)> {
        self.figures.iter().filter_map(|figure| {
            figure
                .budget
                .as_ref()
                .filter(|budget| !budget.pass)
                .map(|budget| (figure, budget))
        })
    }

    /// The figures as console lines.
    pub fn print(&self) {
        println!("\n{} (`{}`)", self.title, self.command);
        if let Some(why) = &self.not_run {
            println!("  not run: {why}");
            return;
        }
        let width = self
            .figures
            .iter()
            .map(|figure| figure.name.chars().count())
            .max()
            .unwrap_or(0);
        for figure in &self.figures {
            let padding = width - figure.name.chars().count();
            let mut line = format!("  {}{}  {}", figure.name, " ".repeat(padding), figure.value);
            if let Some(budget) = &figure.budget {
                let verdict = if budget.pass { "pass" } else { "FAIL" };
                let _ = write!(line, "   (budget {}: {verdict})", budget.limit);
            }
            println!("{line}");
        }
        for (figure, budget) in self.failures() {
            println!("  what would fix {}: {}", figure.name, budget.fix);
        }
    }

    /// The section as Markdown: its `##` heading, method, command, figures.
    pub(super) fn markdown(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.title);
        let _ = writeln!(out, "{}\n", self.method);
        let _ = writeln!(out, "Run alone: `{}`.\n", self.command);
        if let Some(why) = &self.not_run {
            let _ = writeln!(out, "**Not measured in this run**: {why}\n");
            return;
        }
        out.push_str("| figure | value | budget | result |\n| --- | ---: | --- | --- |\n");
        for figure in &self.figures {
            let (limit, verdict) = figure.budget.as_ref().map_or(("", ""), |budget| {
                let verdict = if budget.pass { "pass" } else { "**fail**" };
                (budget.limit.as_str(), verdict)
            });
            let _ = writeln!(
                out,
                "| {} | {} | {limit} | {verdict} |",
                figure.name, figure.value
            );
        }
        out.push('\n');
        if let Some(detail) = &self.detail {
            let _ = writeln!(out, "{detail}");
        }
        let failures: Vec<_> = self.failures().collect();
        if !failures.is_empty() {
            out.push_str("What would fix it:\n\n");
            for (figure, budget) in failures {
                let _ = writeln!(out, "- {}: {}", figure.name, budget.fix);
            }
            out.push('\n');
        }
    }
}

/// One measured figure, already formatted (`98.4 KB`, `12.3 ms`).
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub value: String,
    pub budget: Option<Budget>,
}

impl Figure {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            budget: None,
        }
    }

    /// The figure's budget: `limit` as the issue states it, whether the
    /// figure meets it, and what would fix it when it does not.
    pub fn budget(mut self, limit: impl Into<String>, pass: bool, fix: impl Into<String>) -> Self {
        self.budget = Some(Budget {
            limit: limit.into(),
            pass,
            fix: fix.into(),
        });
        self
    }
}

/// A budget and whether a figure met it.
#[derive(Debug, Clone)]
pub struct Budget {
    pub limit: String,
    pub pass: bool,
    /// What would bring the figure within the budget (shown on failure).
    pub fix: String,
}

/// Where and when the figures were taken.
#[derive(Debug, Clone)]
pub struct Machine {
    pub date: String,
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub load_average: String,
    pub os: String,
    pub rustc: String,
    pub chromium: String,
}

/// BENCHMARKS.md: the machine, every section, and how to reproduce.
pub fn markdown(machine: &Machine, sections: &[Section]) -> String {
    let mut out = String::from(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench`; do not edit by hand. Budgets come from issue #7 and are \
         judged by the benchmark itself (the tests never time anything).\n\n",
    );
    let _ = writeln!(
        out,
        "| | |\n| --- | --- |\n| date | {} |\n| CPU | {} |\n| cores | {} |\n| memory | {} |\n\
         | load average when the run began | {} |\n| OS | {} |\n| rustc | {} |\n| Chromium | {} |\n",
        machine.date,
        machine.cpu,
        machine.cores,
        machine.memory,
        machine.load_average,
        machine.os,
        machine.rustc,
        machine.chromium,
    );
    out.push_str(
        "Each figure comes from one run on this machine. A small machine shared with other \
         work (see the load average) gives noisy figures: compare runs taken on the same machine, \
         and repeat a run before trusting a change of a few percent.\n\n",
    );
    out.push_str("## Summary\n\n| benchmark | figure | value | budget | result |\n| --- | --- | ---: | --- | --- |\n");
    for section in sections {
        if let Some(why) = &section.not_run {
            let first_line = why.lines().next().unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | — | not measured | | {first_line} |",
                section.title
            );
            continue;
        }
        for figure in section
            .figures
            .iter()
            .filter(|figure| figure.budget.is_some())
        {
            let budget = figure.budget.as_ref().expect("filtered on budget");
            let verdict = if budget.pass { "pass" } else { "**fail**" };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {verdict} |",
                section.title, figure.name, figure.value, budget.limit
            );
        }
    }
    out.push('\n');
    for section in sections {
        section.markdown(&mut out);
    }
    out.push_str(
        "## How to reproduce\n\n\
         ```sh\n\
         cargo xtask bench            # everything, then writes this file\n\
         cargo xtask bench bundle     # dist/ sizes (builds the widget in release)\n\
         cargo xtask bench server     # durable wrap-up updates\n\
         cargo xtask bench sse        # concurrent SSE agent streams and delivery latency\n\
         cargo xtask bench core       # criterion: the Desk reducer\n\
         cargo xtask bench browser    # Playwright in headless Chromium: cold start, event path,\n\
         \x20                            # countdown accuracy, memory\n\
         cargo xtask bench reliability  # 1,000 calls under faults (not in the full run; its\n\
         \x20                              # figures go to RELIABILITY.md)\n\
         ```\n\n\
         A run with names prints their figures without rewriting this file. The server \
         benchmarks build `wrapup-server` with the `server` profile and run it on a fresh \
         SQLite database in a temporary directory; the browser benchmarks use the release \
         build of the widget served by that server (`playwright.bench.config.ts`, specs in \
         `tests/bench/`). The SSE benchmark raises its soft open-file limit to the hard limit \
         with `prlimit` (the server inherits it): each stream holds one descriptor on either side.\n",
    );
    out
}
