// TypeScript typings of the wrapup-gadget `cil` object: the b+s Connects
// Integration API (events, requests and data reference), plus the wrap-up
// additions of this widget. The same object exists in the widget's own page
// (`window.cil`, from `cil.js`) and, through `cil-host.js`
// (`WrapupGadget.connect`), in a CRM page embedding the widget in an iframe.

/** Channel types of the data reference. */
export type ChannelType = 'Voice' | 'Mail' | 'Chat' | 'Task' | 'Federation';

/** Workitem states of the data reference. */
export type WorkitemState =
  | 'Unknown'
  | 'Initiated'
  | 'Offered'
  | 'Active'
  | 'Paused'
  | 'Wrapup'
  | 'Ended'
  | 'EndedAbandoned'
  | 'EndedTransferred'
  | 'EndedUnknown';

/** Workitem classes of the data reference. */
export type Classification =
  | 'Customer'
  | 'Consultation'
  | 'Conference'
  | 'Transfer'
  | 'Internal'
  | 'Unknown';

/** Agent (channel) states of the data reference. */
export type AgentState =
  | 'Logout'
  | 'Offline'
  | 'Ready'
  | 'NotReady'
  | 'Active'
  | 'Wrapup'
  | 'Unknown';

/**
 * Channel identifiers: `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX),
 * `telephony` (WxCC). Any string is one, as in the spec, so that an event's
 * `channelId` or a channel's `id` can be passed on; the forms above are the
 * editor's suggestions. The widget refuses another form, naming those it accepts.
 * A `voice_<peripheral_id>` names one channel: the CTI system refuses one that is not the
 * agent's; `voice` and `telephony` name the agent's voice channel whatever its peripheral.
 */
export type ChannelId = 'voice' | 'telephony' | `voice_${number}` | (string & {});

/** The phone call record of a workitem (may be absent on `workitemCreate`). */
export interface ActivityRecord {
  id: string;
  /** `phonecall`. */
  recordType: string;
}

/** A CRM record. */
export interface CrmRecord {
  id: string;
  name?: string;
  /** CRM table name, e.g. `contact`. */
  recordType?: string;
}

/** Call data; availability depends on the Finesse version. */
export interface CtiData {
  /** The unique number of the call routed that day (CCE only). */
  callKeyCallId?: string;
  /** The day the call was routed (CCE only). */
  callKeyPrefix?: string;
  callType?: string;
  callVariable1?: string;
  callVariable2?: string;
  callVariable3?: string;
  callVariable4?: string;
  callVariable5?: string;
  callVariable6?: string;
  callVariable7?: string;
  callVariable8?: string;
  callVariable9?: string;
  callVariable10?: string;
  dialedNumber?: string;
  DNIS?: string;
  mediaId?: string;
  outboundClassification?: 'VOICE' | 'FAX' | 'ANS_MACHINE' | 'INVALID' | 'DO_NOT_CALL' | 'BUSY';
  queueName?: string;
  queueNumber?: string;
  /** The currently set wrap-up reason. */
  wrapUpReason?: string;
  /** ECC variables: `user.<variable>`. */
  [eccVariable: `user.${string}`]: string | undefined;
}

/**
 * A workitem of the data reference. Its `event` is there in the data of a
 * workitem event ({@link WorkitemEvent}); a workitem listed by `getChannel`
 * (`Channel.workitems`) has none.
 */
export interface Workitem {
  event?: WorkitemEventName;
  /** The API version: in every event handed to a callback ({@link Versioned}); a CTI event may leave it out. */
  version?: string;
  /** Matches this event to a request. */
  requestId?: string;
  activity?: ActivityRecord;
  agentId?: string;
  /** `toAddress` for an outgoing call with one participant, otherwise `fromAddress`. */
  ani?: string;
  associatedParticipant?: CrmRecord;
  associations: CrmRecord[];
  /** Actions that can be carried out. */
  capabilities: string[];
  channelId?: string;
  channelType?: ChannelType;
  classification?: Classification;
  /** UTC, e.g. `2020-07-28T09:51:17.696Z`. */
  connectedAt?: string;
  ctiData?: CtiData;
  direction?: 'Incoming' | 'Outgoing';
  /** Call id or task id. */
  id: string;
  participants: { address?: string }[];
  participantLookupResult: CrmRecord[];
  state: WorkitemState;
}

/**
 * The API version every event handed to a callback says: the one the CTI
 * system gave the event, else `1.0`, the version of the API the widget speaks
 * (the reference server's events, and the widget's and `cil-host.js`'s own
 * `error` events, say `1.0`).
 */
export interface Versioned {
  version: string;
}

/** The data of every workitem event: the workitem, with the event's name and the API version. */
export interface WorkitemEvent extends Workitem {
  event: WorkitemEventName;
  /** The API version ({@link Versioned}). */
  version: string;
}

export type WorkitemEventName =
  | 'workitemCreate'
  | 'workitemConnect'
  | 'workitemPause'
  | 'workitemResume'
  | 'workitemWrapup'
  | 'workitemEnd'
  | 'callVariableChanged'
  | 'wrapupDataChanged';

/** `agentStateChange`: the agent's state on one channel changed. */
export interface AgentStateChange {
  event: 'agentStateChange';
  /** The API version: in every event handed to a callback ({@link Versioned}); a CTI event may leave it out. */
  version?: string;
  requestId?: string;
  channelType?: ChannelType;
  channelId?: string;
  newState: AgentState;
  /** Negative: no code. */
  newReasonCode?: number;
  newReasonCodeLabel?: string;
  newStateChangeTime?: string;
  oldState?: AgentState;
  oldReasonCode?: number;
  oldReasonCodeLabel?: string;
  oldStateChangeTime?: string;
}

/** Statistic values of a queue. */
export interface QueueStatistics {
  agentsNotReady?: number;
  agentsReady?: number;
  agentsTalkingInbound?: number;
  agentsTalkingInternal?: number;
  agentsTalkingOutbound?: number;
  agentsWrapUpNotReady?: number;
  agentsWrapUpReady?: number;
  callsInQueue?: number;
  startTimeOfLongestCallInQueue?: string;
}

export interface QueueData {
  id: string;
  name?: string;
  /** Currently only `Voice`. */
  channel?: string;
  escalationLevel?: 'Normal' | 'Warn' | 'Critical';
  statistics?: QueueStatistics;
}

/** `queueDataUpdate` (not in CCX environments). */
export interface QueueDataUpdate {
  event: 'queueDataUpdate';
  /** The API version: in every event handed to a callback ({@link Versioned}); a CTI event may leave it out. */
  version?: string;
  dataState: 'ENABLED' | 'ADDED' | 'UPDATED' | 'DELETED' | 'DISABLED';
  queueData: QueueData[];
}

/**
 * `error`: a request failed, or b+s Connects met an error; in a CRM page also: the widget
 * has not answered the page's handshake for 5 s ({@link WrapupGadgetApi.connect}).
 */
export interface CilError extends Versioned {
  event: 'error';
  /** The request that caused it; empty when unknown. */
  requestId: string;
  message: string;
}

/** An entry of `getReasonCodeList`. */
export interface ReasonCode {
  label: string;
  id: string | number;
}

/** A channel of `getChannel`. */
export interface Channel {
  id: string;
  type: ChannelType;
  state: AgentState;
  /** Negative: no code. */
  reasonCode?: number;
  reasonCodeLabel?: string;
  stateChangeTime?: string;
  /** The workitems on the channel, without an `event`. */
  workitems: Workitem[];
}

/** The answer of `getChannel`. */
export interface ChannelInfo {
  activeDeviceId?: string;
  channel: Channel;
  extension?: string;
  firstName?: string;
  agentId?: string;
  lastName?: string;
  loginName?: string;
  teamId?: string;
}

/** Beyond the spec: where a workitem's wrap-up stands, for late subscribers. */
export interface WrapupState {
  workitemId: string;
  inWrapup: boolean;
  /** ISO 8601 UTC; absent when the wrap-up has no time limit. */
  deadline?: string;
  selectedCode?: string;
  notes: string;
  submission: 'none' | 'saving' | 'sent' | 'confirmed' | 'failed';
  /** Why the submission failed, in words for a person. */
  failure?: string;
}

/** Removes the callback it was returned for. */
export type Unsubscribe = () => void;
type Callback<T> = (data: T) => void;

/**
 * What a request's Promise rejects with. The same failure also reaches the
 * `onError` callbacks, once, as an `error` event with this `requestId` and
 * `message`: whether the widget refused the request, or, in a CRM page, the
 * page refused it because the widget will not answer (the connection closed,
 * the widget reloaded before it answered).
 */
export interface CilRequestError extends Error {
  name: 'CilRequestError';
  /** The request's name, e.g. `setWrapupReason`. */
  request: string;
  /** The `requestId` given with the request; empty when none was. */
  requestId: string;
}

/**
 * The `cil` object. Every `onX` returns a function that unsubscribes; every
 * event says its `version` ({@link Versioned}); a
 * callback that throws does not keep the others from the event, and is
 * reported to the `onError` callbacks (with an empty `requestId`). Requests
 * return Promises that reject with a {@link CilRequestError}.
 */
export interface Cil {
  onWorkitemCreate(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWorkitemConnect(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWorkitemPause(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWorkitemResume(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWorkitemWrapup(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWorkitemEnd(callback: Callback<WorkitemEvent>): Unsubscribe;
  onCallVariableChanged(callback: Callback<WorkitemEvent>): Unsubscribe;
  onWrapupDataChanged(callback: Callback<WorkitemEvent>): Unsubscribe;
  onAgentStateChange(callback: Callback<AgentStateChange & Versioned>): Unsubscribe;
  onQueueDataUpdate(callback: Callback<QueueDataUpdate & Versioned>): Unsubscribe;
  onError(callback: Callback<CilError>): Unsubscribe;

  /**
   * Sets the agent's state; an `agentStateChange` with this `requestId` follows (on the
   * reference server, while calls make the agent Active or Wrapup, once they are over).
   * `reasonCode` is the `id` of a `getReasonCodeList` entry as it came, a string or a number.
   */
  setAgentState(
    channelId: ChannelId,
    state: 'Ready' | 'NotReady' | 'Logout',
    reasonCode?: string | number,
    requestId?: string,
  ): Promise<void>;
  /** Without a workitemId, succeeds only with exactly one Active workitem. */
  directTransfer(channelId: ChannelId, address: string, workitemId?: string, requestId?: string): Promise<void>;
  singleStepConference(
    channelId: ChannelId,
    address: string,
    workitemId?: string,
    requestId?: string,
  ): Promise<void>;
  /**
   * A consultation call when the agent already has a call (the reference server's simulator
   * puts the call in progress on hold first: `workitemPause`, then `workitemCreate`).
   */
  dialOrConsult(channelId: ChannelId, address: string, requestId?: string): Promise<void>;
  getReasonCodeList(channelId: ChannelId, reasonType: 'Logout' | 'NotReady' | 'Wrapup'): Promise<ReasonCode[]>;
  getChannel(channelId: ChannelId): Promise<ChannelInfo>;
  /** CCE: 0-9, *, #, A-D; CCX: 0-9, *, # (the reference server's simulator is CCX). */
  sendDtmf(dtmf: string, requestId?: string): Promise<void>;
  isSendDtmfEnabled(): Promise<boolean>;
  /** Values must be strings, e.g. `{callVariable1: '12345', 'user.eccVar1': '999999', wrapUpReason: 'Documentation'}`. */
  updateWorkitemData(
    channelId: ChannelId,
    workitemId: string,
    updatedData: Partial<Record<keyof CtiData, string>>,
    requestId?: string,
  ): Promise<void>;
  isUpdateWorkitemDataEnabled(channelId: ChannelId, workitemId: string): Promise<boolean>;
  /** A reason that is not an allowed code is added as selected; choosing another removes it. */
  setWrapupReason(channelId: ChannelId, workitemId: string, wrapUpReason: string, requestId?: string): Promise<void>;

  /** Beyond the spec: the wrap-up state of a workitem. */
  getWrapupState(workitemId: string): Promise<WrapupState>;
  /** Beyond the spec: submits the wrap-up as the agent's Submit button does. */
  submitWrapup(workitemId: string, requestId?: string): Promise<void>;
  /**
   * Beyond the spec: extends the wrap-up by `seconds`, at least 5 and at most
   * 900. A fraction counts to the millisecond (`30.5`), as Tenios takes the
   * new end time to the millisecond.
   */
  extendWrapup(workitemId: string, seconds: number, requestId?: string): Promise<void>;
}

/**
 * A b+s event as a CTI system sends it, for {@link EmbeddedCil.sendCtiEvent}; without a
 * `version`, integrators get it with the widget's (`1.0`).
 */
export type CtiEvent = (Workitem & { event: WorkitemEventName }) | AgentStateChange | QueueDataUpdate;

/** The options of {@link WrapupGadgetApi.connect}. */
export interface ConnectOptions {
  /**
   * The widget's origin, `scheme://host[:port]` (e.g. `https://widget.example.com`):
   * the handshake is posted to this origin only.
   */
  origin: string;
  /** Called with the widget's height in CSS pixels whenever it changes. */
  onHeight?: (px: number) => void;
  /** Set the iframe's height from the widget's; default `true`. */
  autoResize?: boolean;
  /**
   * Called with the widget's warnings (e.g. this page connected too late to give the widget
   * the data it keeps for it, or cannot store it); default: `console.warn`.
   */
  onWarning?: (message: string) => void;
}

/** The `cil` of a CRM page, connected to the widget in an iframe. */
export interface EmbeddedCil extends Cil {
  /** Feeds a CTI event to the widget, as its event stream would. */
  sendCtiEvent(event: CtiEvent): void;
  /**
   * Resolves when the widget first answers the handshake. It never rejects: a widget that
   * has not answered for 5 s may still answer (it loads late, or its server is fixed and
   * the frame loaded again); the `onError` callbacks are told why meanwhile
   * ({@link WrapupGadgetApi.connect}).
   */
  readonly connected: Promise<void>;
  /**
   * Stops listening to the widget. Requests under way, and every request
   * after this, reject, each also reaching the `onError` callbacks once (as
   * every refusal does); no event of the widget's arrives any more. To connect
   * again, load the widget again (set the iframe's `src`) and call `connect`.
   */
  disconnect(): void;
}

/** `WrapupGadget`, defined by `cil-host.js` in the CRM page. */
export interface WrapupGadgetApi {
  /**
   * Connects to the widget shown in `iframe` (and again whenever the frame
   * loads). Requests and CTI events wait until the widget answers. After 5 s
   * without an answer (from `connect`, or from a load of the frame), a console
   * error names the likely causes, what the page can see first (the frame
   * shows another origin than `origin`, or has not loaded), and the `onError`
   * callbacks get the same words as an `error` event with an empty
   * `requestId`, whose `message` starts `the widget at <origin> has not
   * answered for 5 s`, so that the page can show it; the handshake is offered
   * on, less and less often (at most 10 s apart), and at once when the frame
   * loads. Sets `window.cil` when the page has none. Connecting the same
   * iframe again returns the same object.
   */
  connect(iframe: HTMLIFrameElement, options: ConnectOptions): EmbeddedCil;
}

declare global {
  interface Window {
    cil: Cil;
    WrapupGadget: WrapupGadgetApi;
  }
  const cil: Cil;
  /** Only in pages that load `cil-host.js`. */
  const WrapupGadget: WrapupGadgetApi;
}
