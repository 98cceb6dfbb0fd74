// The typings checked against real integration code: the b+s Connects
// Integration API's sample snippets verbatim, then typical integrator code.
// `cargo xtask test` runs `tsc --noEmit` on this file. Last, a CRM page
// embedding the widget with cil-host.js (`WrapupGadget`).
import type {
  AgentStateChange,
  CilError,
  CilRequestError,
  ConnectOptions,
  CtiEvent,
  EmbeddedCil,
  Workitem,
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

async function wrapUp(id: string): Promise<WrapupState> {
  const state = await cil.getWrapupState(id);
  if (state.inWrapup && state.submission === 'none') {
    await cil.setWrapupReason('voice', id, 'Billing Issue');
    await cil.extendWrapup(id, 30);
    await cil.submitWrapup(id);
  }
  return window.cil.getWrapupState(id);
}

void samples;
void wrapUp;

// A CRM page embedding the widget with cil-host.js.
async function embed(frame: HTMLIFrameElement): Promise<EmbeddedCil> {
  const connection = WrapupGadget.connect(frame, {
    origin: 'https://widget.example.com',
    onHeight: (px: number) => console.info(`the widget is ${px}px tall`),
    autoResize: true,
    onWarning: (message: string) => console.warn(message),
  });
  await connection.connected;
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
  const options: ConnectOptions = { origin: 'https://widget.example.com', autoResize: false };
  const event: CtiEvent = { event: 'agentStateChange', newState: 'Ready' };
  window.WrapupGadget.connect(frame, options).sendCtiEvent(event);
  connection.disconnect();
  return connection;
}

void embed;
