"""简体中文: the grader's own messages (engine, grading helpers, reports, command line).

Keys are the English texts exactly as the code writes them (``T("...")`` templates and fixed
texts); the ``{placeholders}`` must be the same in the translation.  Code, names and values
(``device=x.device``, ``ValueError``) stay as they are.
"""

# What the language calls itself (the command line's --lang help).
LANGUAGE_NAME = "简体中文"

# The notebooks' teaching text in this language: the heading above it, and how to work.
TEACHING_HEADING = "中文说明"
HOW_TO = """\
**怎么做。** 先运行导入（setup）单元格。每个练习是一个函数：把 `# YOUR CODE HERE` 下面的
`raise NotImplementedError()` 换成你的代码，然后运行它下面的测试单元格：它用自动评分器的检查测试你的
函数，告诉你错在哪里，并显示得到的分数。测试单元格只用于反馈：最终成绩由课程的评分器另行计算。
在终端里给整个 notebook 评分：`autograder grade {name}.ipynb`。测试单元格默认用英文反馈；
想看中文反馈，先在它们上面自己加一个代码单元格，运行 `FEEDBACK_LANGUAGE = "zh"`。
"""

MESSAGES: dict[str, str] = {
    # -- engine: why a call did not return -----------------------------------------------------
    "the call never returned: the runner {reason}": "调用没有返回：运行进程{reason}",
    "the call never returned: the runner {reason}\nLast output:\n{output}": (
        "调用没有返回：运行进程{reason}\n最后的输出：\n{output}"
    ),
    "the call returned a value": "调用返回了一个值",
    "it called {name}, which this exercise forbids": "它调用了本练习禁止使用的 {name}",
    "not implemented yet (it raises NotImplementedError)": (
        "尚未实现（它抛出 NotImplementedError）"
    ),
    "it raised {kind}: {message}": "它抛出了 {kind}：{message}",
    "it raised {kind}: {message} (line {line})": "它抛出了 {kind}：{message}（第 {line} 行）",
    "timed out after {seconds} s": "在 {seconds} 秒后超时",
    "timed out": "超时",
    "was killed by {signal}": "被信号 {signal} 终止",
    "exited with status {code}": "以状态码 {code} 退出",
    "broke the protocol ({error})": "违反了通信协议（{error}）",
    "sent a malformed answer ({reason})": "发回了不合规的答案（{reason}）",
    "sent an answer too large for the judge's memory limit": "发回的答案超出了评分进程的内存上限",
    # -- grading: the feedback layout ----------------------------------------------------------
    "Smallest failing input: {input}": "最小的失败输入：{input}",
    "Failing input: {input}": "失败的输入：{input}",
    "Expected: {expected}": "期望：{expected}",
    "Got: {got}": "实际：{got}",
    "Hint: {hint}": "提示：{hint}",
    # -- grading: calls ------------------------------------------------------------------------
    "{name} is not allowed in {function}: the point of the exercise is to implement it "
    "yourself.": "{function} 中不允许使用 {name}：这个练习的目的就是自己实现它。",
    "{function} is not implemented yet (it raises NotImplementedError): replace the raise "
    "with your code.": (
        "{function} 尚未实现（它抛出 NotImplementedError）：请用你的代码替换这条 raise 语句。"
    ),
    "{function} did not return a value: {reason}": "{function} 没有返回值：{reason}",
    "the runner's answer could not be read": "无法读取运行进程的回答",
    "it returned {value}": "它返回了 {value}",
    "the result should be a tuple of {count} tensors": "结果应当是由 {count} 个张量组成的元组",
    "element {position} of the result": "结果的第 {position} 个元素",
    "{function} should raise {exception} {why}": "{function} 应当在{why}抛出 {exception}",
    "{function} should raise {exception}": "{function} 应当抛出 {exception}",
    "{exception} with a helpful message": "带有清晰说明信息的 {exception}",
    "grading could not finish this check ({error})": "评分无法完成这项检查（{error}）",
    "{function} did not return: {reason}": "{function} 没有返回：{reason}",
    "look for a loop that never ends, or a crash (exit, os._exit, a C extension).": (
        "检查是否有永不结束的循环，或导致崩溃的代码（exit、os._exit、C 扩展）。"
    ),
    # -- grading: comparisons ------------------------------------------------------------------
    "the result": "结果",
    "{what} should be a tensor": "{what}应当是一个张量",
    "a tensor of shape {shape}": "形状为 {shape} 的张量",
    "{what} has the wrong shape": "{what}的形状不对",
    "shape {shape}": "形状 {shape}",
    "{what} has the wrong dtype": "{what}的 dtype 不对",
    "keep the input's dtype: create helper tensors with dtype=x.dtype (or *_like functions) "
    "instead of the default float32.": (
        "保持输入的 dtype：创建辅助张量时使用 dtype=x.dtype（或 *_like 系列函数），"
        "而不是默认的 float32。"
    ),
    "{what} is on the wrong device": "{what}所在的设备不对",
    "{what} has no values (a tensor on meta) where values were expected": (
        "{what}没有数值（是 meta 上的张量），而这里需要数值"
    ),
    "a tensor on {device}": "位于 {device} 上的张量",
    "create every helper tensor on the input's device (device=x.device); tensors created "
    "without device= land on the CPU.": (
        "所有辅助张量都要创建在输入所在的设备上（device=x.device）；"
        "不指定 device= 创建的张量会落在 CPU 上。"
    ),
    "{what} has the wrong values ({summary})": "{what}的数值不对（{summary}）",
    "{what} should be a tuple": "{what}应当是一个元组（tuple）",
    "{what} is wrong": "{what}不对",
    "could not read back the inputs of {function}": "无法读回 {function} 的输入",
    "{function} modified its input (argument {position}) in place": (
        "{function} 原地修改了它的输入（第 {position} 个参数）"
    ),
    "compute a new tensor instead of writing into the input (avoid x[...] = ..., x += ..., "
    "and methods ending in _ on inputs).": (
        "请计算一个新的张量，而不是写入输入张量（不要对输入使用 x[...] = ...、x += ... "
        "以及以 _ 结尾的方法）。"
    ),
    # -- grading: shared properties ------------------------------------------------------------
    "a tensor created inside the function without device= lands on the default device (the "
    "CPU), not on the input's device. Pass device=x.device (and dtype=x.dtype), or use "
    "torch.zeros_like / x.new_zeros, so the function also works on a GPU.": (
        "在函数内部不指定 device= 创建的张量会落在默认设备（CPU）上，而不是输入所在的设备上。"
        "请传入 device=x.device（以及 dtype=x.dtype），或使用 torch.zeros_like / "
        "x.new_zeros，这样函数在 GPU 上也能正常工作。"
    ),
    "{what} has other values when tensors made without device= land on another device "
    "(the values are then read from a device without data)": (
        "当不指定 device= 创建的张量落在另一个设备上时，{what}的值不同"
        "（这些值是从一个没有数据的设备上读出来的）"
    ),
    "{function} fails when the default device is not the input's device: {reason}": (
        "当默认设备不是输入所在的设备时，{function} 会失败：{reason}"
    ),
    "{function}'s result is not connected to the autograd graph": (
        "{function} 的结果没有连接到自动求导（autograd）计算图"
    ),
    "a result with requires_grad=True when the input requires grad": (
        "当输入需要梯度时，结果应满足 requires_grad=True"
    ),
    "use differentiable tensor operations only: no .detach(), .item(), .numpy(), "
    "torch.tensor(...) of results or .data inside the function.": (
        "只使用可微的张量运算：函数内部不要使用 .detach()、.item()、.numpy()、"
        "对结果调用 torch.tensor(...) 或 .data。"
    ),
    "no gradient reaches argument {position}": "梯度没有传到第 {position} 个参数",
    "the result must be computed from this input with differentiable ops.": (
        "结果必须由这个输入通过可微运算计算得到。"
    ),
    "the gradient of argument {position}": "第 {position} 个参数的梯度",
    # -- grading: whole functions and modules --------------------------------------------------
    "not submitted: {module}.py was not found in the submission": (
        "未提交：提交内容中找不到 {module}.py"
    ),
    "not submitted: {module} is not in the submission (looked for {places}); {holds}": (
        "未提交：提交内容中找不到 {module}（查找了 {places}）；{holds}"
    ),
    "found nothing to check in {folder} (looked for {places}); {holds}": (
        "在 {folder} 中找不到可检查的内容（查找了 {places}）；{holds}"
    ),
    "{places} for each of {names}": "{names} 各自的 {places}",
    # -- one file per assignment, and a notebook's lines said in its cells -----------------------
    "{assignment}: {chosen} is graded, not {others}: {reason}. Name a file on the command "
    "line to grade that one.": (
        "{assignment}：评分的是 {chosen}，不是 {others}：{reason}。要给另一个文件评分，"
        "请在命令行里写出它的文件名。"
    ),
    "the others are still as handed out (every exercise raises NotImplementedError)": (
        "其他文件还是发下来时的样子（每道题都抛出 NotImplementedError）"
    ),
    "several were worked on: the first of {places} is graded": (
        "有多个文件都改过：按 {places} 的顺序评第一个"
    ),
    "none was worked on yet: the first of {places} is graded": (
        "还没有一个文件改过：按 {places} 的顺序评第一个"
    ),
    "line {line}": "第 {line} 行",
    "cell “{cell}”, line {line}": "“{cell}”单元格第 {line} 行",
    "it holds {files}": "其中有 {files}",
    "{file} (a symbolic link: not graded)": "{file}（符号链接，不评分）",
    "{function}: the module uses {uses}, which could switch off the refusal of the calls "
    "this exercise forbids ({forbidden}); no exercise needs it.": (
        "{function}：模块中用到了 {uses}，它可能关闭对本练习禁止调用（{forbidden}）的拦截；"
        "没有任何练习需要它。"
    ),
    "it holds no .py or .ipynb file": "其中没有 .py 或 .ipynb 文件",
    "and more": "以及更多",
    "could not import {module}.py: {reason}": "无法导入 {module}.py：{reason}",
    "not submitted: {function} is not defined": "未提交：没有定义 {function}",
    "{name} (line {line})": "{name}（第 {line} 行）",
    "{function} uses {uses}, which this exercise forbids ({forbidden}): the point is to "
    "implement it yourself.": (
        "{function} 使用了 {uses}，本练习禁止使用（{forbidden}）：目的就是自己实现它。"
    ),
    "not run: {function} did not return in an earlier check ({check})": (
        "未运行：{function} 在之前的检查（{check}）中没有返回"
    ),
    "the result could not be checked ({error}); this usually means a value of an unexpected "
    "type was returned [{where}]": (
        "无法检查结果（{error}）；这通常说明返回了类型不符合预期的值 [{where}]"
    ),
    "not checked here: this kit has no recorded answer for this check (build the kit again "
    "with autograder release); the grade of record runs it": (
        "此处未检查：这个工具包里没有这项检查的记录答案（请用 autograder release 重新构建工具包）；"
        "正式评分会运行它"
    ),
    "hidden check {number} of {count}": "隐藏检查 {number}/{count}",
    "cannot judge the {aspect}: {what} is not a tensor (see the other checks)": (
        "无法判断 {aspect}：{what} 不是张量（见其他检查）"
    ),
    "failed; a hidden check shows neither its name nor its inputs": (
        "未通过；隐藏检查不显示名称和输入"
    ),
    # -- batch grading -------------------------------------------------------------------------
    "grading stopped: this submission took longer than {seconds} s, the time limit for one "
    "student": "评分已停止：这份提交用时超过 {seconds} 秒，即单个学生的时间上限",
    "grading stopped: the process grading this submission died (the submission may have "
    "killed it)": "评分已停止：为这份提交评分的进程意外终止（可能是被提交的代码杀死的）",
    "this submission could not be graded: {reason}": "这份提交无法评分：{reason}",
    "grading failed with an internal error ({error}); please tell your instructor": (
        "评分时发生内部错误（{error}）；请告诉你的老师"
    ),
    # -- reports -------------------------------------------------------------------------------
    "Autograder": "自动评分",
    "Score: {score}/{max_score} ({percent}%)": "得分：{score}/{max_score}（{percent}%）",
    "Total: {score}/{max_score} ({percent}%) in {seconds} s": (
        "总分：{score}/{max_score}（{percent}%），用时 {seconds} 秒"
    ),
    "Nothing was graded.": "没有评分任何内容。",
    "function": "函数",
    "check": "检查项",
    "points": "分数",
    "PASS": "通过",
    "FAIL": "未通过",
    "What to fix": "需要修改的地方",
    # -- self-check (autograder check) ---------------------------------------------------------
    "{passed} of {total} visible checks pass.": "{total} 项公开检查中通过了 {passed} 项。",
    "Everything visible passes. The final grade may run more checks: keep your functions "
    "general (any shape, dtype and device).": (
        "所有公开检查都通过了。最终评分可能会运行更多检查：请让你的函数保持通用"
        "（适用于任意形状、dtype 和设备）。"
    ),
    "Functions with failing checks: {functions}.": "有检查未通过的函数：{functions}。",
    "Next thing to fix: {function}: {check}": "下一步要修改的：{function}：{check}",
    "Fix it, then run the check again (add --function {function} to check only this "
    "function).": "修改后再运行一次检查（加上 --function {function} 可以只检查这个函数）。",
    # -- notebooks -----------------------------------------------------------------------------
    "{function}: {score}/{max_score} points; read the feedback above, fix the function, run "
    "its cell and this one again.": (
        "{function}：{score}/{max_score} 分；请阅读上面的反馈，修改这个函数，"
        "然后重新运行它所在的单元格和这个单元格。"
    ),
    # -- class summary -------------------------------------------------------------------------
    "Class summary: {students} students": "班级汇总：{students} 名学生",
    "Mean {mean}%, median {median}%, lowest {min}%, highest {max}% (standard deviation "
    "{stdev}).": "平均 {mean}%，中位数 {median}%，最低 {min}%，最高 {max}%（标准差 {stdev}）。",
    "Score distribution": "分数分布",
    "Checks most students fail": "最多学生未通过的检查项",
    "Every graded student passed every check.": "所有已评分的学生都通过了全部检查项。",
    "exercise {function} of the {assignment} notebook": "{assignment} 笔记本的练习 {function}",
    "{assignment}: not submitted by {students} of the graded students (left out of the checks "
    "above)": "{assignment}：已评分的学生中有 {students} 人未提交（不计入上面的检查项）",
    "no module or notebook found: looked for {places}; {holds}": (
        "没有找到模块或笔记本：查找了 {places}；{holds}"
    ),
    "no module or notebook found: looked for {places}; the folder cannot be read": (
        "没有找到模块或笔记本：查找了 {places}；该文件夹无法读取"
    ),
    "Exercises": "练习",
    "Students": "学生",
    "Submissions that could not be graded": "无法评分的提交",
    "student": "学生",
    "students": "学生数",
    "score": "得分",
    "failed": "未通过人数",
    "exercise": "练习",
    "mean": "平均分",
    "full marks": "满分人数",
    "error": "错误",
    # -- the class page (summary.html), item analysis, similarity ------------------------------
    "score (percent of the points)": "得分（占总分的百分比）",
    "Mean score of each assignment (students who handed it in)": "各作业的平均得分（交了该作业的学生）",
    "assignment": "作业",
    "mean score (%)": "平均得分（%）",
    "{assignment}: students passing each check": "{assignment}：通过每个检查项的学生比例",
    "students passing (%)": "通过的学生（%）",
    "Assignments": "作业",
    "Item analysis": "项目分析",
    "difficulty": "难度（通过率）",
    "discrimination": "区分度",
    "Checks and exercises to look at": "值得检查的检查项和练习",
    "Exercises most students fail": "多数学生未通过的练习",
    "most common failing check": "最常未通过的检查项",
    "Checks": "检查项",
    "Alike submissions": "相似的提交",
    "Each name links to the student’s feedback.": "点击学生姓名可查看其反馈。",
    "item": "项目",
    "why": "原因",
    "Nothing to look at.": "没有需要检查的项目。",
    "difficulty: share of the item's points among the students who handed in its assignment; discrimination: point-biserial (checks) or Pearson (exercises) correlation of the item's score with the rest of the score (total minus the item)": (
        "难度：交了该作业的学生在此项目上得分占其分值的比例；区分度：此项目得分与其余得分（总分减去此项目）"
        "的相关系数（检查项为点二列相关，练习为皮尔逊相关）"
    ),
    "Pairs of alike solutions, most alike first, for a person to review: this is never a verdict. Alike code has innocent causes too (the course's notes, a short exercise, work shared where it was allowed); the code every student was given is discounted.": (
        "相似的解答两两成对列出，最相似的在前，供人审阅：这绝不是结论。代码相似也有无辜的原因（课程讲义、简短的练习、"
        "允许的合作）；每个学生都拿到的代码已不计入。"
    ),
    "alike: the share of each one's code (names, comments and layout ignored) also found in the other's, averaged over the two": (
        "相似度：各自的代码（不计名称、注释和排版）在对方代码中也出现的比例，取两人的平均值"
    ),
    "whole module": "整个模块",
    "nobody passes": "无人通过",
    "everyone passes": "人人通过",
    "negative discrimination": "负区分度",
    "No two submissions share code beyond what was given.": "除了发给学生的代码之外，没有两份提交有共同的代码。",
}
