// The typings checked against real integration code: the b+s Connects
// Integration API's sample snippets verbatim, then typical integrator code.
// `cargo xtask test` runs `tsc --noEmit` on this file. Last, a CRM page
// embedding the widget with cil-host.js (`WrapupGadget`).
import type {
  AgentStateChange,
  ChannelInfo,
  CilError,
  CilRequestError,
  ConnectOptions,
  CtiEvent,
  EmbeddedCil,
  Workitem,
  WorkitemEventName,
  WrapupState,
} from '../../public/cil';

export {};

declare const channelId: 'voice';
declare const newState: 'Ready' | 'NotReady' | 'Logout';
declare const reasonCode: string;
declare const requestId: string;
declare const phonenumber: string;
declare const workitemId: string;

// The spec's samples, as printed.
cil.onWorkitemCreate((data) => {
console.warn(`message: onWorkitemCreate, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemConnect((data) => {
console.warn(`message: onWorkitemConnect, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemPause((data) => {
console.warn(`message: onWorkitemPause, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemResume((data) => {
console.warn(`message: onWorkitemResume, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemWrapup((data) => {
console.warn(`message: onWorkitemWrapup, data: ${JSON.stringify(data)}`);
});
cil.onWorkitemEnd((data) => {
console.warn(`message: onWorkitemEnd, data: ${JSON.stringify(data)}`);
});
cil.onCallVariableChanged((data) => {
console.warn(`message: onCallVariableChanged, data: ${JSON.stringify(data)}`);
});
cil.onWrapupDataChanged((data) => {
console.warn(`message: onWrapupDataChanged, data: ${JSON.stringify(data)}`);
});
cil.onAgentStateChange((data) => {
console.warn(`message: onAgentStateChange, data: ${JSON.stringify(data)}`);
});
cil.onQueueDataUpdate((data) => {
console.warn(`message: onQueueDataUpdate, data: ${JSON.stringify(data)}`);
});
cil.onError((error) => {
console.warn(`message: onError data: ${JSON.stringify(error)}`);
});

async function samples() {
await cil.setAgentState(channelId, newState, reasonCode, requestId);
await cil.directTransfer('voice', phonenumber, undefined, requestId);
await cil.singleStepConference('voice', phonenumber, undefined, requestId);
await cil.dialOrConsult('voice', phonenumber, requestId);
const reasons = await cil.getReasonCodeList('voice', 'Logout');
const channel = await cil.getChannel('voice');
const dtmf = await cil.sendDtmf('1', requestId);
const dtmfEnabled = await cil.isSendDtmfEnabled();
await cil.updateWorkitemData(channelId, workitemId, {'callVariable1': '12345', 'user.eccVar1': '999999', 'wrapUpReason': 'Documentation'}, requestId);
const updatable = await cil.isUpdateWorkitemDataEnabled('voice', workitemId);
await cil.setWrapupReason(channelId, workitemId, 'Documentation', requestId);
return { reasons, channel, dtmf, dtmfEnabled, updatable };
}

// Typical integrator code: typed payloads, unsubscribing, the wrap-up additions.
const unsubscribe = cil.onWorkitemWrapup((workitem: Workitem) => {
  const queue: string | undefined = workitem.ctiData?.queueName;
  const ecc: string | undefined = workitem.ctiData?.['user.customerTier'];
  console.info(workitem.id, workitem.state, queue, ecc);
});
unsubscribe();

cil.onAgentStateChange((change: AgentStateChange) => {
  if (change.newState === 'NotReady' && (change.newReasonCode ?? -1) < 0) {
    console.info('not ready without a reason code');
  }
});

cil.onError((error: CilError) => console.error(error.requestId, error.message));

// Every event a callback gets says the API version it speaks.
function apiVersions(): string[] {
  const versions: string[] = [];
  cil.onError((error) => versions.push(error.version));
  cil.onWorkitemCreate((workitem) => versions.push(workitem.version));
  cil.onAgentStateChange((change) => versions.push(change.version));
  cil.onQueueDataUpdate((update) => versions.push(update.version));
  return versions;
}
void apiVersions;

async function wrapUp(id: string): Promise<WrapupState> {
  const state = await cil.getWrapupState(id);
  if (state.inWrapup && state.submission === 'none') {
    await cil.setWrapupReason('voice', id, 'Billing Issue');
    await cil.extendWrapup(id, 30);
    await cil.submitWrapup(id);
  }
  return window.cil.getWrapupState(id);
}

// Integrator code written from the spec's samples and data reference: the
// ids events and answers carry are passed on as they come, without casts.
// An event's `channelId` and a channel's `id` are strings, as every request's
// `channelId` is in the spec; a reason code's `id` is a string or a number.
cil.onWorkitemWrapup(async (data) => {
  const name: WorkitemEventName = data.event;
  console.info(name);
  await cil.setWrapupReason(data.channelId!, data.id, 'Documentation', requestId);
});

async function notReady(channelId: string) {
  const codes = await cil.getReasonCodeList('voice', 'NotReady');
  await cil.setAgentState('voice', 'NotReady', codes[0].id);
  await cil.setAgentState(channelId, 'NotReady', codes[0].id, requestId);
}

cil.onAgentStateChange(async (change) => {
  if (change.newState === 'Ready' && change.channelId !== undefined) {
    await cil.getReasonCodeList(change.channelId, 'NotReady');
  }
});

async function updatableWorkitems(): Promise<Workitem[]> {
  const { channel } = await cil.getChannel('voice');
  const updatable: Workitem[] = [];
  for (const workitem of channel.workitems) {
    if (await cil.isUpdateWorkitemDataEnabled(channel.id, workitem.id)) updatable.push(workitem);
  }
  return updatable;
}

// getChannel's answer as the widget gives it, e.g. a stub in the integrator's
// unit tests: a workitem listed on a channel has no `event`.
const channelAnswer: ChannelInfo = {
  agentId: 'agent-1',
  channel: {
    id: 'voice_5000',
    type: 'Voice',
    state: 'Active',
    reasonCode: -1,
    workitems: [
      {
        id: 'call-1',
        state: 'Active',
        channelId: 'voice_5000',
        associations: [],
        capabilities: [],
        participants: [{ address: '+4930123456' }],
        participantLookupResult: [],
      },
    ],
  },
};

void samples;
void wrapUp;
void notReady;
void updatableWorkitems;
void channelAnswer;

// A CRM page embedding the widget with cil-host.js.
async function embed(frame: HTMLIFrameElement): Promise<EmbeddedCil> {
  const connection = WrapupGadget.connect(frame, {
    origin: 'https://widget.example.com',
    onHeight: (px: number) => console.info(`the widget is ${px}px tall`),
    autoResize: true,
    onWarning: (message: string) => console.warn(message),
  });
  // Until the widget answers, why it has not, in the page.
  const status = document.createElement('p');
  connection.onError((error: CilError) => {
    if (error.requestId === '' && error.message.startsWith('the widget at https://widget.example.com has not answered')) {
      status.textContent = error.message;
    }
  });
  await connection.connected;
  status.textContent = 'Connected';
  connection.onWorkitemEnd((workitem) => console.info(workitem.id));
  connection.sendCtiEvent({
    event: 'workitemCreate',
    id: 'call-1',
    state: 'Offered',
    associations: [],
    capabilities: [],
    participants: [{ address: '+4930123456' }],
    participantLookupResult: [],
  });
  try {
    await connection.setWrapupReason('voice', 'call-1', 'Documentation', 'r1');
  } catch (error) {
    const refused = error as CilRequestError;
    console.error(refused.request, refused.requestId, refused.message);
  }
  // A CTI event names itself: a workitem without its `event` is not one.
  // @ts-expect-error
  connection.sendCtiEvent({ id: 'call-1', state: 'Offered', associations: [], capabilities: [], participants: [], participantLookupResult: [] });
  const options: ConnectOptions = { origin: 'https://widget.example.com', autoResize: false };
  const event: CtiEvent = { event: 'agentStateChange', newState: 'Ready' };
  window.WrapupGadget.connect(frame, options).sendCtiEvent(event);
  connection.disconnect();
  return connection;
}

void embed;
