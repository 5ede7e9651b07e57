import Foundation
import StepEngine
import TerminalUI
import Wizard
import WizardTUI
import XCTest

/// The flow as a pure function: each test asserts the exact state an event leads to.
final class ReducerTests: XCTestCase {
    var catalog: WizardCatalog!
    var reducer: WizardReducer!
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    override func setUpWithError() throws {
        catalog = try WizardCatalog.load()
        reducer = WizardReducer(catalog: catalog)
    }

    func allPending() -> [String: StepStatus] {
        Dictionary(uniqueKeysWithValues: catalog.screens.map { ($0.id, $0.id == "welcome" ? .passed : .pending) })
    }

    /// A session "lab" opened at prerequisites, with defaults resolved.
    func loaded(openStep: String? = "prerequisites", offerResume: Bool = false) -> WizardState {
        // The answers the runner would hand over: the session's name and every default resolved.
        let stored = ["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]
        let values = (try? AnswerResolution.resolve(catalog: catalog, file: nil, stored: stored).values) ?? [:]
        return reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(
                name: "lab", values: values, statuses: allPending(),
                openStep: openStep, offerResume: offerResume, secrets: [:])
        ).0
    }

    func send(_ state: WizardState, _ keys: KeyEvent...) -> (WizardState, [WizardEffect]) {
        send(state, keys)
    }

    func testInitialStateIsTheWelcomeScreenWithItsDefault() {
        let state = reducer.initialState(now: t0)
        XCTAssertNil(state.sessionName)
        XCTAssertEqual(state.current, 0)
        XCTAssertEqual(state.focus, .field(0))
        XCTAssertEqual(state.fields.map(\.input.key), ["session.name"])
        XCTAssertEqual(state.fields[0].editor.text, "my-cloud")
        XCTAssertEqual(state.steps.filter(\.unavailable).map(\.id), [], "every step's checks and actions are built")
    }

    func testTypingANameStartsTheSessionWithoutMovingTheOperator() {
        let (state, effects) = send(reducer.initialState(now: t0), .control("u"), .character("l"), .character("a"), .character("b"), .enter)
        XCTAssertEqual(effects, [.startSession(name: "lab")])
        XCTAssertEqual(state.focus, .runButton)
        XCTAssertEqual(state.fields[0].editor.text, "lab")
        let (after, _) = reducer.reduce(
            state,
            .sessionLoaded(
                name: "lab", values: ["session.name": .text("lab")], statuses: [:],
                openStep: nil, offerResume: false, secrets: [:]))
        var expected = state
        expected.sessionName = "lab"
        expected.values = ["session.name": .text("lab")]
        expected.log = ["Session lab opened."]
        XCTAssertEqual(after, expected)
    }

    func testTabAndShiftTabMoveFocusExactly() {
        let start = loaded()
        XCTAssertEqual(start.currentStep, "prerequisites")
        XCTAssertEqual(start.focus, .field(0))
        var expected = start
        expected.focus = .field(1)
        XCTAssertEqual(send(start, .tab).0, expected)
        XCTAssertEqual(send(start, .down).0, expected)
        expected.focus = .steps
        XCTAssertEqual(send(start, .backTab).0, expected, "Shift-Tab from the first field reaches the step list")
        let last = start.fields.count
        XCTAssertEqual(send(start, Array(repeating: KeyEvent.tab, count: last)).0.focus, .runButton)
    }

    func testTheStepListOpensAnyStep() {
        let (state, effects) = send(loaded(), .backTab, .down, .down, .down, .enter)
        XCTAssertEqual(state.currentStep, "tls")
        XCTAssertEqual(state.focus, .field(0))
        XCTAssertEqual(state.fields.map(\.input.key), ["tls.api_hostname"])
        XCTAssertEqual(effects, [.openStep("tls")])
        let (back, backEffects) = send(state, .escape)
        XCTAssertEqual(back.currentStep, "dns", "Esc goes back one step")
        XCTAssertEqual(backEffects, [.openStep("dns")])
    }

    func testInvalidInputShowsItsErrorAndBlocksTheRun() {
        var (state, _) = send(loaded(), .backTab, .down, .down, .down, .enter)
        (state, _) = send(state, .character("n"), .character("o"), .tab)
        XCTAssertEqual(state.fields[0].error, "API host name: a fully qualified host name, like cloud.example.org")
        XCTAssertEqual(state.focus, .runButton, "the operator may move on; the error stays in place of the help line")
        let (blocked, effects) = send(state, .enter)
        XCTAssertEqual(blocked.focus, .field(0))
        XCTAssertNil(blocked.running)
        XCTAssertTrue(effects.isEmpty)
        let (fixed, _) = send(blocked, .character("."), .character("o"))
        XCTAssertNil(fixed.fields[0].error, "typing clears the complaint until the field is left")
    }

    func testAValidChangeAsksTheEngineFirstAndSavesWhenNothingGoesStale() {
        let (state, effects) = send(loaded(), .tab, .control("u"), .character("/"), .character("r"), .tab)
        XCTAssertEqual(effects, [.previewChange(key: "cloud.openrc_path", value: .text("/r"))])
        let (after, saved) = reducer.reduce(state, .changePreviewed(key: "cloud.openrc_path", value: .text("/r"), stale: []))
        XCTAssertEqual(after, state)
        XCTAssertEqual(saved, [.saveAnswer(key: "cloud.openrc_path", value: .text("/r"))])
    }

    func testChangingAFinishedStepListsWhatGoesStaleAndAsks() {
        let (state, _) = send(loaded(), .tab, .control("u"), .character("/"), .character("r"), .tab)
        let (asking, none) = reducer.reduce(state, .changePreviewed(key: "cloud.openrc_path", value: .text("/r"), stale: ["prerequisites", "dns"]))
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(asking.overlay, .staleChange(key: "cloud.openrc_path", value: .text("/r"), steps: ["prerequisites", "dns"], selected: 1))
        let (kept, keptEffects) = send(asking, .enter)
        XCTAssertNil(kept.overlay)
        XCTAssertTrue(keptEffects.isEmpty, "the default button keeps the old answer")
        XCTAssertEqual(kept.fields[1].editor.text, "~/openrc")
        let (changed, changeEffects) = send(asking, .left, .enter)
        XCTAssertNil(changed.overlay)
        XCTAssertEqual(changeEffects, [.saveAnswer(key: "cloud.openrc_path", value: .text("/r"))])
        XCTAssertEqual(changed.log.last, "cloud.openrc_path changed; to run again: prerequisites, dns.")
    }

    func testSecretsGoToMemoryAndAreRequiredToRun() throws {
        let screen = try XCTUnwrap(catalog.screens.firstIndex { $0.id == "atmoadmin" })
        var state = loaded(openStep: "atmoadmin")
        XCTAssertEqual(state.current, screen)
        let secretIndex = try XCTUnwrap(state.fields.firstIndex { $0.input.key == "atmoadmin.password" })
        state.focus = .field(secretIndex)
        let (typed, effects) = send(state, .character("s"), .character("3"), .tab)
        XCTAssertEqual(typed.fields[secretIndex].error, "atmoadmin password must be at least 16 characters (it has 2).")
        XCTAssertTrue(effects.isEmpty)
        var long = typed
        long.focus = .field(secretIndex)
        let (good, goodEffects) = send(long, .paste("-a-long-enough-secret"), .tab)
        XCTAssertEqual(goodEffects, [.keepSecret(key: "atmoadmin.password", value: SecretValue("s3-a-long-enough-secret"))])
        XCTAssertTrue(good.secretsGiven.contains("atmoadmin.password"))
        XCTAssertFalse(good.values.keys.contains("atmoadmin.password"))
    }

    func testRunStartsInTheBackgroundAndTheResultMovesOn() {
        var (state, effects) = send(loaded(openStep: "welcome"), .tab, .enter)
        XCTAssertEqual(effects, [.runStep("welcome", consent: false)])
        XCTAssertEqual(state.running, WizardState.Running(step: "welcome", startedAt: t0, waitingOn: "checks of Welcome and session", limit: nil))
        XCTAssertTrue(send(state, .enter).1.isEmpty, "a second Enter does not start it twice")
        (state, effects) = reducer.reduce(state, .stepFinished(step: "welcome", outcome: .init(kind: .attempt(.passed), message: "ok", findings: [])))
        XCTAssertNil(state.running)
        XCTAssertEqual(state.currentStep, "prerequisites")
        XCTAssertEqual(effects, [.openStep("prerequisites")])
    }

    func testANotAvailableResultStaysOnTheStep() {
        let (running, _) = send(loaded(), Array(repeating: KeyEvent.tab, count: loaded().fields.count) + [.enter])
        XCTAssertEqual(running.running?.step, "prerequisites")
        let finding = FindingRow(level: .info, target: "keystone.authenticate", text: "not available yet")
        let (state, effects) = reducer.reduce(
            running,
            .stepFinished(
                step: "prerequisites",
                outcome: .init(kind: .notAvailable, message: "later", findings: [finding])))
        XCTAssertEqual(state.currentStep, "prerequisites")
        XCTAssertEqual(state.outcomes["prerequisites"]?.findings, [finding])
        XCTAssertTrue(effects.isEmpty)
    }

    func testQuitAsksFirst() {
        let start = loaded()
        let (asking, none) = send(start, .function(10))
        XCTAssertEqual(asking.overlay, .confirmQuit(selected: 0))
        XCTAssertTrue(none.isEmpty)
        let (stayed, _) = send(asking, .escape)
        XCTAssertEqual(stayed, start)
        let (quitting, effects) = send(asking, .enter)
        XCTAssertTrue(quitting.finished)
        XCTAssertEqual(effects, [.quit])
        XCTAssertEqual(send(start, .tab, .character("q")).0.overlay, nil, "q is text while a text field has focus")
        XCTAssertEqual(send(start, .character("q")).0.overlay, .confirmQuit(selected: 0), "q quits from a choice field")
        XCTAssertEqual(send(start, .backTab, .character("q")).0.overlay, .confirmQuit(selected: 0), "q quits from the step list")
    }

    func testCtrlCCancelsARunningCheckBeforeOfferingToQuit() {
        let (running, _) = send(loaded(openStep: "welcome"), .tab, .enter)
        let (cancelling, effects) = send(running, .control("c"))
        XCTAssertEqual(effects, [.cancelRun])
        XCTAssertNil(cancelling.overlay)
        XCTAssertEqual(cancelling.log.last, "Cancelling welcome…")
        let (idle, _) = reducer.reduce(
            cancelling, .stepFinished(step: "welcome", outcome: .init(kind: .attempt(.interrupted), message: "cancelled", findings: [])))
        XCTAssertEqual(idle.currentStep, "welcome", "an interrupted step does not move on")
        XCTAssertEqual(send(idle, .control("c")).0.overlay, .confirmQuit(selected: 0))
    }

    func testARunPastItsTimeLimitIsCancelled() {
        let (running, effects) = send(loaded(openStep: "tls"), .tab, .enter)
        XCTAssertEqual(effects, [.runStep("tls", consent: false)])
        XCTAssertEqual(running.running?.limit, 90, "screens/05-tls.yaml: time_limit_seconds")
        let (early, none) = reducer.reduce(running, .tick(t0.addingTimeInterval(30)))
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(early.now, t0.addingTimeInterval(30))
        let (late, cancel) = reducer.reduce(early, .tick(t0.addingTimeInterval(91)))
        XCTAssertEqual(cancel, [.cancelRun])
        XCTAssertEqual(late.log.last, "tls: time limit of 90 s reached; cancelling.")
        XCTAssertTrue(reducer.reduce(late, .tick(t0.addingTimeInterval(92))).1.isEmpty, "cancelled once")
    }

    func testActionsArePreviewedAndDoneOnlyAfterEnter() {
        let start = loaded(openStep: "inventory")
        let (previewing, none) = reducer.reduce(start, .actionPlanned(step: "inventory", preview: ["Add atmosphere-lab…", "+ [atmosphere-lab]"]))
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(previewing.overlay, .actionPreview(step: "inventory", lines: ["Add atmosphere-lab…", "+ [atmosphere-lab]"], offset: 0))
        XCTAssertEqual(
            send(previewing, .down).0.overlay, .actionPreview(step: "inventory", lines: ["Add atmosphere-lab…", "+ [atmosphere-lab]"], offset: 0),
            "a preview that fits does not scroll")
        // A long one scrolls, End shows its last page (19 rows of 24 show lines: 60 - 19), Home its first, and Up after
        // End moves at once.
        let long = (1...60).map { "+ host\($0)" }
        let (scrolling, _) = reducer.reduce(start, .actionPlanned(step: "inventory", preview: long))
        XCTAssertEqual(send(scrolling, .down).0.overlay, .actionPreview(step: "inventory", lines: long, offset: 1))
        let atEnd = send(scrolling, .end).0
        XCTAssertEqual(atEnd.overlay, .actionPreview(step: "inventory", lines: long, offset: 41))
        XCTAssertEqual(send(atEnd, .up).0.overlay, .actionPreview(step: "inventory", lines: long, offset: 40))
        XCTAssertEqual(send(atEnd, .home).0.overlay, .actionPreview(step: "inventory", lines: long, offset: 0))
        let (declined, nothing) = send(previewing, .escape)
        XCTAssertNil(declined.overlay)
        XCTAssertTrue(nothing.isEmpty)
        XCTAssertEqual(declined.log.last, "inventory: nothing was written.")
        let (confirmed, effects) = send(previewing, .enter)
        XCTAssertEqual(effects, [.runStep("inventory", consent: true)])
        XCTAssertEqual(confirmed.running?.waitingOn, "doing what the preview showed")
        XCTAssertEqual(confirmed.running?.limit, 90, "screens/14-inventory.yaml: time_limit_seconds")
        XCTAssertNil(
            send(reducer.reduce(start, .actionPlanned(step: "exercise-cloud", preview: ["x"])).0, .enter).0.running?.limit,
            "the smoke test has a limit per stage instead")
        XCTAssertEqual(
            send(reducer.reduce(start, .actionPlanned(step: "exercise-cloud", preview: ["x"])).0, .enter).0.running?.waitingOn,
            "the smoke test: server, floating IP, SSH, volume, removal; each stage up to 600 s (smoke.timeout_seconds)")
    }

    func testOutputFromTheAtmosphereServerIsCollectedUnseenAndCheckedOnCtrlD() {
        let start = loaded(openStep: "provider")
        let lines = ["Add provider lab to Atmosphere.", "", "On the Atmosphere server, paste this block into a shell:"]
        let (asking, none) = reducer.reduce(start, .remoteOutputNeeded(step: "provider", instructions: lines))
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(asking.overlay, .remoteOutput(step: "provider", lines: lines, pasted: "", offset: 0))
        let secret = "review-prints-s3cret-password"
        let (pasted, _) = send(asking, .paste("Provider Credentials\r\n{'admin_password': '\(secret)'}\r\n"), .character("x"), .enter, .backspace)
        XCTAssertEqual(
            pasted.overlay,
            .remoteOutput(step: "provider", lines: lines, pasted: "Provider Credentials\n{'admin_password': '\(secret)'}\nx", offset: 0))
        let screen = WizardView(catalog: catalog).render(pasted, rows: 24, columns: 80).text()
        XCTAssertFalse(screen.contains(secret), "the paste is never shown")
        XCTAssertTrue(screen.contains("Received 3 line(s)"), screen)
        let (checking, effects) = send(pasted, .control("d"))
        XCTAssertNil(checking.overlay)
        XCTAssertEqual(effects, [.submitRemoteOutput(step: "provider", text: "Provider Credentials\n{'admin_password': '\(secret)'}\nx")])
        XCTAssertEqual(checking.running?.waitingOn, "checking the output from the Atmosphere server")
        XCTAssertEqual(send(asking, .control("d")).1, [.submitRemoteOutput(step: "provider", text: nil)], "nothing pasted: the saved file is read")
        let (left, nothing) = send(pasted, .escape)
        XCTAssertNil(left.overlay)
        XCTAssertTrue(nothing.isEmpty)
    }

    func testAPasswordTheStepSetIsShownOnceAndForgotten() {
        let start = loaded(openStep: "atmoadmin")
        let shown = WizardState.ShownOnce(label: "The password of atmoadmin", value: "Zx9-once-only")
        let (showing, _) = reducer.reduce(
            start,
            .stepFinished(
                step: "atmoadmin",
                outcome: WizardState.Outcome(
                    kind: .attempt(.passed), message: "ok", findings: [], shownOnce: shown)))
        XCTAssertEqual(showing.overlay, .shownOnce(shown))
        XCTAssertNil(showing.outcomes["atmoadmin"]?.shownOnce, "the outcome kept for the screen does not hold it")
        XCTAssertTrue(WizardView(catalog: catalog).render(showing, rows: 24, columns: 80).text().contains("Zx9-once-only"))
        XCTAssertEqual(send(showing, .character("x")).0.overlay, .shownOnce(shown), "only Enter or Esc closes it")
        let (closed, _) = send(showing, .enter)
        XCTAssertNil(closed.overlay)
        XCTAssertFalse(String(describing: closed).contains("Zx9-once-only"), "gone from the state with its box")
    }

    func testResumeOfferLandsOnTheOpenStepOrStartsANewSession() {
        let offered = loaded(openStep: "dns", offerResume: true)
        XCTAssertEqual(offered.overlay, .resumeOffer(session: "lab", step: "dns", selected: 0))
        XCTAssertEqual(offered.currentStep, "dns")
        let (resumed, _) = send(offered, .enter)
        var expected = offered
        expected.overlay = nil
        XCTAssertEqual(resumed, expected)
        let (fresh, _) = send(offered, .right, .enter)
        XCTAssertNil(fresh.sessionName)
        XCTAssertEqual(fresh.currentStep, "welcome")
        XCTAssertEqual(fresh.fields[0].editor.text, "my-cloud")
        XCTAssertEqual(Set(fresh.steps.map(\.status)), [.pending])
    }

    func testHelpAndLogOverlaysScrollAndClose() {
        let (help, _) = send(loaded(), .function(1), .down, .down)
        XCTAssertEqual(help.overlay, .help(offset: 2))
        XCTAssertNil(send(help, .escape).0.overlay)
        XCTAssertEqual(send(loaded(), .function(2)).0.overlay, .log(offset: 0))
        XCTAssertEqual(send(loaded(), .control("l")).1, [.redraw])
    }

    func testChoiceMultiChoiceAndCheckboxWidgets() {
        let (choice, _) = send(loaded(), .right, .right)
        XCTAssertEqual(choice.fields[0].choice, 2)
        XCTAssertEqual(send(choice, .right).0.fields[0].choice, 0, "wraps around")
        var allocation = loaded(openStep: "allocation")
        allocation.focus = .field(2)
        XCTAssertEqual(allocation.fields[2].checked, ["Ignore non-active status", "Multiply by Size CPU"], "defaults shown")
        let (toggled, _) = send(allocation, .space)
        XCTAssertEqual(toggled.fields[2].checked, ["Multiply by Size CPU"])
        XCTAssertEqual(send(toggled, .right, .space).0.fields[2].checked, [])
        var provider = loaded(openStep: "provider")
        let publicIndex = provider.fields.firstIndex { $0.input.key == "provider.public" } ?? 0
        provider.focus = .field(publicIndex)
        XCTAssertTrue(provider.fields[publicIndex].flag, "default: public")
        XCTAssertFalse(send(provider, .character(" ")).0.fields[publicIndex].flag)
        XCTAssertTrue(send(provider, .character("n"), .character("y")).0.fields[publicIndex].flag)
    }

    func send(_ state: WizardState, _ keys: [KeyEvent]) -> (WizardState, [WizardEffect]) {
        var state = state
        var effects: [WizardEffect] = []
        for key in keys {
            let (next, produced) = reducer.reduce(state, .key(key))
            state = next
            effects += produced
        }
        return (state, effects)
    }

    /// After a step passes with findings, they stay on its screen; a Next button (focused) moves on.
    func testAfterAPassTheFindingsStayInViewUntilTheOperatorMovesOn() {
        let (running, _) = send(loaded(), Array(repeating: KeyEvent.tab, count: loaded().fields.count) + [.enter])
        let warning = FindingRow(level: .warning, target: "https://nova.example.org:8774", text: "certificate expires in 12 days", remedy: "Renew it")
        let (passed, effects) = reducer.reduce(
            running, .stepFinished(step: "prerequisites", outcome: .init(kind: .attempt(.warned), message: "0 failure(s), 1 warning(s), 9 ok", findings: [warning])))
        XCTAssertEqual(passed.currentStep, "prerequisites", "the findings stay in view")
        XCTAssertTrue(effects.isEmpty)
        XCTAssertEqual(passed.focus, .nextButton)
        XCTAssertEqual(reducer.buttons(passed), [.runButton, .nextButton])
        let (next, nextEffects) = send(passed, .enter)
        XCTAssertEqual(next.currentStep, "exercise-cloud")
        XCTAssertEqual(nextEffects, [.openStep("exercise-cloud")])
        let (again, againEffects) = send(passed, .left, .enter)
        XCTAssertEqual(againEffects, [.runStep("prerequisites", consent: false)], "the run button runs the checks again")
        XCTAssertEqual(again.currentStep, "prerequisites")
    }

    /// An optional step is skipped from its screen (Ctrl-S or its button) after a yes; a required one cannot be.
    func testAnOptionalStepIsSkippedAfterAYes() throws {
        let optional = loaded(openStep: "exercise-cloud")
        XCTAssertTrue(reducer.buttons(optional).contains(.skipButton))
        let (asking, none) = send(optional, .control("s"))
        XCTAssertEqual(asking.overlay, .confirmSkip(step: "exercise-cloud", selected: 1))
        XCTAssertTrue(none.isEmpty)
        XCTAssertEqual(send(asking, .enter).1, [], "the default button stays")
        XCTAssertNil(send(asking, .enter).0.overlay)
        let (skipping, effects) = send(asking, .left, .enter)
        XCTAssertEqual(effects, [.skipStep("exercise-cloud")])
        let (skipped, moved) = reducer.reduce(
            skipping, .stepFinished(step: "exercise-cloud", outcome: .init(kind: .attempt(.skipped), message: "skipped by the operator", findings: [])))
        XCTAssertEqual(skipped.currentStep, "dns", "nothing to read: on to the next step")
        XCTAssertEqual(moved, [.openStep("dns")])
        let buttonFocus = optional.fields.count + 1
        XCTAssertEqual(send(optional, Array(repeating: KeyEvent.tab, count: buttonFocus)).0.focus, .skipButton)
        XCTAssertEqual(
            send(optional, Array(repeating: KeyEvent.tab, count: buttonFocus) + [.enter]).0.overlay, .confirmSkip(step: "exercise-cloud", selected: 1))
        let required = loaded()
        XCTAssertFalse(reducer.buttons(required).contains(.skipButton))
        let (refused, refusedEffects) = send(required, .control("s"))
        XCTAssertNil(refused.overlay)
        XCTAssertTrue(refusedEffects.isEmpty)
        XCTAssertEqual(refused.log.last, "prerequisites is required: it cannot be skipped.")
    }

    /// A blocked step says what it waits for, and runs only after a yes to a question that names it.
    func testABlockedStepRunsOnlyAfterAnOverrideNamingWhatIsMissing() {
        var statuses = allPending()
        statuses["dns"] = .blocked
        let stored = ["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]
        let values = (try? AnswerResolution.resolve(catalog: catalog, file: nil, stored: stored).values) ?? [:]
        let state = reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(
                name: "lab", values: values, statuses: statuses, openStep: "dns", offerResume: false, secrets: [:],
                reasons: ["dns": "waits for prerequisites (failed)"])
        ).0
        let canvas = WizardView(catalog: catalog).render(state, rows: 24, columns: 80)
        XCTAssertTrue(canvas.text().contains("· waits for prerequisites (failed) · optional"), canvas.text())
        let (asking, effects) = send(state, Array(repeating: KeyEvent.tab, count: state.fields.count) + [.enter])
        XCTAssertNil(asking.running)
        XCTAssertFalse(effects.contains(.runStep("dns", consent: false)))
        XCTAssertEqual(asking.overlay, .confirmBlocked(step: "dns", reason: "waits for prerequisites (failed)", selected: 1))
        XCTAssertTrue(WizardView(catalog: catalog).render(asking, rows: 24, columns: 80).text().contains("Run anyway"))
        XCTAssertEqual(send(asking, .enter).1, [], "the default is not to run")
        let (running, runEffects) = send(asking, .left, .enter)
        XCTAssertEqual(runEffects, [.runStep("dns", consent: false)])
        XCTAssertEqual(running.running?.step, "dns")
    }

    /// PgDn and PgUp page through findings that do not fit, and stop at the ends.
    func testPageKeysMoveThroughTheFindings() {
        let (running, _) = send(loaded(), Array(repeating: KeyEvent.tab, count: loaded().fields.count) + [.enter])
        let findings = (1...12).map { FindingRow(level: .warning, target: "endpoint \($0)", text: "a warning about endpoint \($0)", remedy: "fix \($0)") }
        var (state, _) = reducer.reduce(
            running, .stepFinished(step: "prerequisites", outcome: .init(kind: .attempt(.warned), message: "warned", findings: findings)))
        (state, _) = reducer.reduce(state, .resized(TerminalSize(rows: 24, columns: 80)))
        XCTAssertEqual(state.findingsOffset, 0)
        let (down, _) = send(state, .pageDown)
        XCTAssertGreaterThan(down.findingsOffset, 0)
        XCTAssertEqual(down.textOffset, 0, "the step's text stays where it was")
        let (end, _) = send(state, Array(repeating: KeyEvent.pageDown, count: 50))
        XCTAssertEqual(end.findingsOffset, WizardView(catalog: catalog).lastFindingsOffset(end))
        XCTAssertTrue(WizardView(catalog: catalog).render(end, rows: 24, columns: 80).text().contains("endpoint 12"))
        XCTAssertEqual(send(end, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp, .pageUp).0.findingsOffset, 0)
    }

    /// The last step done: the end screen says what was done, skipped and remains, and where the report is.
    func testTheEndScreenSaysWhatWasDoneSkippedAndRemains() {
        var statuses = Dictionary(uniqueKeysWithValues: catalog.screens.map { ($0.id, StepStatus.passed) })
        statuses["exercise-cloud"] = .skipped
        statuses["staff"] = .pending
        let stored = ["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]
        var values = (try? AnswerResolution.resolve(catalog: catalog, file: nil, stored: stored).values) ?? [:]
        values["final.report_path"] = .text("/root/lab-report.md")
        var state = reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(name: "lab", values: values, statuses: statuses, openStep: "final", offerResume: false, secrets: [:])
        ).0
        state = reducer.reduce(
            state, .stepFinished(step: "final", outcome: .init(kind: .attempt(.passed), message: "ok", findings: [FindingRow(level: .ok, target: "report", text: "written")]))
        ).0
        state = reducer.reduce(state, .refreshed(values: values, statuses: statuses, reasons: [:], sources: [:])).0
        XCTAssertEqual(state.overlay, .endOfRun(offset: 0))
        let text = WizardView(catalog: catalog).render(state, rows: 43, columns: 132).text()
        for part in ["The last step is done", "Done (13):", "Skipped by you (1):", "Exercise the cloud", "Still to do (1; * required):", "Staff and superuser rights: not run yet", "The report: /root/lab-report.md"] {
            XCTAssertTrue(text.contains(part), "\(part):\n\(text)")
        }
        XCTAssertNil(send(state, .enter).0.overlay, "Enter closes it; the wizard stays")
        XCTAssertEqual(send(state, .function(10)).0.overlay, .confirmQuit(selected: 0))
    }

    /// Test mode is on every screen: the title bar names the http endpoints credentials go to in clear.
    func testTestModeIsOnEveryScreen() {
        var state = loaded()
        let view = WizardView(catalog: catalog)
        XCTAssertFalse(view.render(state, rows: 24, columns: 120).text().contains("TEST MODE"))
        state.values["cloud.allow_http"] = .list(["http://glance.test.example:9292"])
        for step in ["prerequisites", "provider", "final"] {
            state = reducer.reduce(state, .key(.backTab)).0
            state.selectedStep = catalog.screens.firstIndex { $0.id == step } ?? 0
            state = reducer.reduce(state, .key(.enter)).0
            let title = view.render(state, rows: 24, columns: 120).text().components(separatedBy: "\n")[0]
            XCTAssertTrue(title.contains("TEST MODE: credentials sent in clear to http://glance.test.example:9292"), "\(step): \(title)")
        }
    }

    /// Keys for terminals that keep the F-keys: Ctrl-G help, Ctrl-O log, Ctrl-Q quit; an unused Alt key does nothing.
    func testConventionalAlternativesToTheFunctionKeys() {
        let start = loaded()
        XCTAssertEqual(send(start, .control("g")).0.overlay, .help(offset: 0))
        XCTAssertEqual(send(start, .control("o")).0.overlay, send(start, .function(2)).0.overlay)
        XCTAssertEqual(send(start, .control("q")).0.overlay, .confirmQuit(selected: 0))
        XCTAssertEqual(send(start, .tab, .alt("x")).0, send(start, .tab).0, "Alt-x types nothing and moves nothing")
    }
}

extension KeyEvent {
    static let space = KeyEvent.character(" ")
}
