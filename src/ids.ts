/** Every callback_id, action_id and block_id the app uses, in one place. */

export const CALLBACK = {
  reportModal: 'deal_report_modal',
  progressModal: 'deal_progress_modal',
  adviceModal: 'deal_advice_modal',
  detailsModal: 'deal_details_modal',
  reportShortcut: 'deal_report_shortcut',
  reportFromMessage: 'deal_report_from_message',
  reassignModal: 'deal_reassign_modal',
  snoozeModal: 'deal_snooze_modal',
  settingsListModal: 'settings_list_modal',
  settingsPeopleModal: 'settings_people_modal',
  settingsChannelModal: 'settings_channel_modal',
  settingsTunablesModal: 'settings_tunables_modal',
  settingsAuditModal: 'settings_audit_modal',
  searchModal: 'deal_search_modal',
  analysisModal: 'deal_analysis_modal',
} as const;

export const ACTION = {
  openProgress: 'deal_progress_open',
  openAdvice: 'deal_advice_open',
  openDetails: 'deal_details_open',
  openReport: 'deal_report_open',
  openNewReport: 'deal_new_report_open',
  retryDelivery: 'delivery_retry',
  /** Prefix: each list's button is `settingsListActionId(list)` (action_ids are unique in a block). */
  openSettingsList: 'settings_list_open',
  openSettingsPeople: 'settings_people_open',
  openSettingsChannel: 'settings_channel_open',
  openSettingsTunables: 'settings_tunables_open',
  openSettingsAudit: 'settings_audit_open',
  openSearch: 'deal_search_open',
  searchPage: 'deal_search_page',
  exportCsv: 'deal_search_export_csv',
  openAnalysis: 'deal_analysis_open',
  nudgeOwner: 'deal_nudge',
  openReassign: 'deal_reassign_open',
  openSnooze: 'deal_snooze_open',
  endSnooze: 'deal_snooze_end',
  /** The card's overflow menu: each option's value is `cardMenuValue(verb, dealId)`. */
  cardMenu: 'deal_card_menu',
} as const;

/** Input blocks of the report modal; each holds one element whose action_id is `${block}_input`. */
export const REPORT_BLOCK = {
  customer: 'report_customer',
  title: 'report_title',
  industry: 'report_industry',
  companySize: 'report_company_size',
  amount: 'report_amount',
  expectedCloseDate: 'report_expected_close',
  source: 'report_source',
  contactName: 'report_contact',
  description: 'report_description',
  owner: 'report_owner',
} as const;

export const PROGRESS_BLOCK = {
  status: 'progress_status',
  activityType: 'progress_activity_type',
  activityDate: 'progress_activity_date',
  amount: 'progress_amount',
  content: 'progress_content',
  nextAction: 'progress_next_action',
  nextActionDue: 'progress_next_action_due',
  lossReason: 'progress_loss_reason',
  lossDetail: 'progress_loss_detail',
} as const;

/** Input blocks of the settings modals; a tunable's block is `settingsTunableBlock(key)`. */
export const SETTINGS_BLOCK = {
  lines: 'settings_lines',
  leaders: 'settings_leaders',
  admins: 'settings_admins',
  channel: 'settings_channel',
} as const;

/** The button that opens an option list's settings modal; its value names the list too. */
export function settingsListActionId(list: string): string {
  return `${ACTION.openSettingsList}_${list}`;
}

export function settingsTunableBlock(key: string): string {
  return `settings_tunable_${key}`;
}

/** Filter inputs of the search and analysis modals (the same filters serve both). */
export const FILTER_BLOCK = {
  keywords: 'filter_keywords',
  industry: 'filter_industry',
  companySize: 'filter_company_size',
  status: 'filter_status',
  owner: 'filter_owner',
  periodBasis: 'filter_period_basis',
  from: 'filter_from',
  to: 'filter_to',
} as const;

/** Blocks of the search results, below the filters. */
export const SEARCH_RESULTS_BLOCK = {
  pager: 'search_pager',
  export: 'search_export',
} as const;

export const REASSIGN_BLOCK = {
  owner: 'reassign_owner',
} as const;

export const SNOOZE_BLOCK = {
  until: 'snooze_until',
  reason: 'snooze_reason',
} as const;

export const ADVICE_BLOCK = {
  text: 'advice_text',
} as const;

/** The action_id of the single element inside an input block. */
export function inputActionId(blockId: string): string {
  return `${blockId}_input`;
}

/** Slack message metadata type that marks the bot's own deal messages with their outbox id. */
export const MESSAGE_METADATA_TYPE = 'anken_message';
